"""The names the server announces in its `initialize` answer, apart from the features that
serve them: completion's trigger characters, the code action kinds, the commands.

`app.py` registers every feature before `initialize` is answered but imports a feature's
module only when its first request comes (completion, code actions, navigation and the
generators pull in the emitters, jinja2 and the query reader, none of which the first
diagnostics need); the modules take their constants from here, so each name is written once.
"""

from __future__ import annotations

TRIGGER_CHARACTERS = ["@", ".", "(", "[", ",", ":", '"', " ", "'", "{"]
"""completion.py"""
FIX_ALL_KIND = "source.fixAll.schemasense"
"""code_actions.py"""
GENERATE_DTO_KIND = "source.schemasense.generateDto"
GENERATE_MIGRATION_KIND = "source.schemasense.generateMigration"
GENERATE_MIGRATION_COMMAND = "schemasense.generateMigration"
GENERATE_MODEL_KIND = "refactor.schemasense.generateModel"
GENERATE_TESTS_KIND = "source.schemasense.generateTests"
GENERATE_LAYER_COMMAND = "schemasense.generateDatabaseLayer"
"""generate_layer.py"""
CODE_LENS_COMMAND = "schemasense.modelSummary"
"""navigation.py"""
DEBUG_INFORMATION = "schemasense.debugInformation"
"""commands.py"""
