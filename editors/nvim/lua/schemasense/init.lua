-- schemasense for Neovim: the language server (`schemasense serve`) for Prisma schemas, SQL
-- migrations and TypeScript entities.
--
-- Neovim 0.11+:  require("schemasense").setup()             -- vim.lsp.config + vim.lsp.enable
--          or:   vim.lsp.enable("schemasense")               -- with editors/nvim on 'runtimepath'
--                                                              (lsp/schemasense.lua is the config)
-- nvim-lspconfig's legacy API (Neovim 0.10): require("schemasense").lspconfig()
--
-- The server comes from `cmd` when given, else the project's `.venv/bin/schemasense` or
-- `venv/bin/schemasense`, else `schemasense` on the PATH; when there is none, a message says how
-- to install it and no client starts.
--
-- Commands (setup() and lspconfig() add them): :SchemasenseGenerateMigration,
-- :SchemasenseGenerateLayer [orm:X] [migration:Y] {text or @path} (or a range of lines: the
-- database layer of a feature from a description, docs/feature.md), :SchemasenseRestart.

local M = {}

M.name = "schemasense"

--- Project roots, in order: the first marker found walking up from the file wins.
M.root_markers = { "schemasense.toml", "prisma", "schema.prisma", "package.json", ".git" }

M.filetypes = { "prisma", "sql", "typescript", "javascript" }

--- The settings the server reads (server/project/settings.py); what is left out keeps its default:
---   enable = true, debounceMs = 0, logLevel = "warning",
---   select = { "DB1" }   -- rule codes, prefixes or names; replaces the project's `select`
---   ignore = { "DB105" } -- added to the project's `ignore`
---   dialect = "postgresql" -- or mysql, mariadb, sqlite, cockroachdb, sqlserver
M.default_settings = { enable = true } -- never empty: Lua's {} would be sent as a JSON list

local INSTALL_HINT = "Install it into the project's virtual environment: "
  .. "`python3 -m venv .venv && .venv/bin/pip install schemasense`, "
  .. "or pass `cmd = { '/path/to/schemasense', 'serve' }` to require('schemasense').setup()."

local uv = vim.uv or vim.loop

local function executable(path)
  local stat = uv.fs_stat(path)
  return stat ~= nil and stat.type == "file" and vim.fn.executable(path) == 1
end

--- SQL files are migrations when they sit under a `migrations` folder.
function M.is_migration(path)
  return path:match("[/\\]migrations[/\\].+%.sql$") ~= nil
end

--- SQL files that keep a schema as DDL (the server's `sql_ddl` source): `schema.sql`
--- (dbmate's `db/schema.sql` too) and Rails' `db/structure.sql`.
function M.is_ddl_schema(path)
  return path:match("[/\\]schema%.sql$") ~= nil
    or path:match("^schema%.sql$") ~= nil
    or path:match("[/\\]db[/\\]structure%.sql$") ~= nil
end

--- TypeScript files that declare entities or models (TypeORM, Sequelize), by their path.
function M.is_entity(path)
  return path:match("%.entity%.[jt]s$") ~= nil
    or path:match("%.model%.[jt]s$") ~= nil
    or path:match("[/\\]entities[/\\].+%.[jt]s$") ~= nil
    or path:match("[/\\]entity[/\\].+%.[jt]s$") ~= nil
    or path:match("[/\\]models[/\\].+%.[jt]s$") ~= nil
end

--- Whether the buffer's first lines import an ORM the server reads (TypeORM entities, a
--- DataSource, migration classes, Sequelize models): files named anyhow (`src/Book.ts`).
function M.imports_orm(bufnr)
  if not bufnr or bufnr < 0 or not vim.api.nvim_buf_is_loaded(bufnr) then
    return false
  end
  for _, line in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, 80, false)) do
    if line:match("[\"']typeorm[\"'/]") or line:match("[\"']@nestjs/typeorm[\"']")
      or line:match("[\"']sequelize[\"'/]") or line:match("[\"']sequelize%-typescript[\"']") then
      return true
    end
  end
  return false
end

--- Whether the project of `path` reads the queries of its code: its `schemasense.toml` (the
--- nearest above `path`) selects the query rules (DB401, `DB4`, `query-without-index`). Only
--- then does a code file that declares no model (`src/users.ts`) get a client.
function M.selects_queries(path)
  local found = vim.fs.find("schemasense.toml", { upward = true, path = vim.fs.dirname(path) })[1]
  if not found then
    return false
  end
  local ok, lines = pcall(vim.fn.readfile, found)
  if not ok then
    return false
  end
  for _, line in ipairs(lines) do
    local code = line:gsub("#.*", "")
    if code:match("[\"']DB4") or code:match("query%-without%-index") then
      return true
    end
  end
  return false
end

--- Whether schemasense has something to say about this file.
function M.wants(path, filetype, bufnr)
  if filetype == "sql" then
    return M.is_migration(path) or M.is_ddl_schema(path)
  elseif filetype == "typescript" or filetype == "javascript" then
    return M.is_entity(path) or M.imports_orm(bufnr) or M.selects_queries(path)
  end
  return path:match("%.prisma$") ~= nil or filetype == "prisma"
end

--- The project root of `path`: the first of `M.root_markers` found walking up, else its folder.
function M.root(path)
  return vim.fs.root(path, M.root_markers) or vim.fs.dirname(path)
end

--- The command that starts the server for a project at `root`, or nil and the places looked at.
function M.server_cmd(root, cmd)
  if cmd and #cmd > 0 then
    return cmd
  end
  local looked = {}
  local folders = { root }
  local git = root and vim.fs.root(root, ".git")
  if git and git ~= root then
    table.insert(folders, git)
  end
  for _, folder in ipairs(folders) do
    for _, venv in ipairs({ ".venv", "venv" }) do
      local candidate = vim.fs.joinpath(folder, venv, "bin", "schemasense")
      table.insert(looked, candidate)
      if executable(candidate) then
        return { candidate, "serve" }
      end
    end
  end
  table.insert(looked, "schemasense on the PATH")
  local on_path = vim.fn.exepath("schemasense")
  if on_path ~= "" then
    return { on_path, "serve" }
  end
  return nil, looked
end

local warned = {}

local function not_found(root, looked)
  if warned[root] then
    return
  end
  warned[root] = true
  vim.notify(
    "schemasense: the language server was not found (looked for "
      .. table.concat(looked, ", ")
      .. "). "
      .. INSTALL_HINT,
    vim.log.levels.ERROR
  )
end

--- The configuration for `vim.lsp.config("schemasense", ...)` (Neovim 0.11+).
--- opts: cmd (list), settings (table, see M.default_settings), root_markers, filetypes,
--- on_attach, capabilities.
function M.config(opts)
  opts = opts or {}
  local settings = vim.tbl_extend("force", M.default_settings, opts.settings or {})
  local commands = {} -- root -> cmd, found by root_dir, used by cmd
  local markers = opts.root_markers or M.root_markers
  return {
    filetypes = opts.filetypes or M.filetypes,
    root_dir = function(bufnr, on_dir)
      local path = vim.api.nvim_buf_get_name(bufnr)
      if path == "" or not M.wants(path, vim.bo[bufnr].filetype, bufnr) then
        return
      end
      local root = vim.fs.root(path, markers) or vim.fs.dirname(path)
      local cmd, looked = M.server_cmd(root, opts.cmd)
      if not cmd then
        not_found(root, looked)
        return
      end
      commands[root] = cmd
      on_dir(root)
    end,
    cmd = function(dispatchers, config)
      local root = config and config.root_dir or uv.cwd()
      local cmd = commands[root] or M.server_cmd(root, opts.cmd) or { "schemasense", "serve" }
      return vim.lsp.rpc.start(cmd, dispatchers, { cwd = root })
    end,
    settings = { schemasense = settings },
    init_options = { schemasense = settings },
    on_attach = opts.on_attach,
    capabilities = opts.capabilities,
  }
end

local function client_for(bufnr)
  return vim.lsp.get_clients({ bufnr = bufnr or 0, name = M.name })[1]
end

--- The client when its server offers `command`; otherwise nil, after saying why (not running
--- for this buffer, or an older server without the command).
local function client_offering(client, command, label, not_running)
  if not client then
    vim.notify("schemasense: " .. not_running, vim.log.levels.WARN)
    return nil
  end
  local provider = client.server_capabilities.executeCommandProvider or {}
  if not vim.tbl_contains(provider.commands or {}, command) then
    local version = (client.server_info or {}).version or "?"
    vim.notify(
      "schemasense: " .. label .. " is not available in this server (schemasense " .. version .. ").",
      vim.log.levels.INFO
    )
    return nil
  end
  return client
end

--- `workspace/executeCommand` with one argument table; a protocol error is shown, and
--- `on_result` gets the result as a table (empty when the server sent none).
local function execute(client, title, command, argument, on_result)
  client:exec_cmd({ title = title, command = command, arguments = { argument } }, { bufnr = 0 },
    function(err, result)
      if err then
        vim.notify("schemasense: " .. err.message, vim.log.levels.ERROR)
        return
      end
      on_result(type(result) == "table" and result or {})
    end)
end

--- Run the server's "Generate migration" (when it offers it) for the current buffer.
function M.generate_migration()
  local client = client_offering(
    client_for(0), "schemasense.generateMigration", "Generate migration", "not running for this buffer"
  )
  if client then
    M._generate(client, vim.uri_from_bufnr(0), nil)
  end
end

--- `schemasense.generateMigration {uri, renames}` (server/features/generate_migration.py): the
--- server writes the files through workspace/applyEdit (buffers, not yet saved); a rename it is
--- unsure of is asked with vim.ui.select, then it runs again.
function M._generate(client, uri, renames)
  local args = { uri = uri, renames = renames }
  execute(client, "Generate migration", "schemasense.generateMigration", args, function(result)
    if result.error then
      vim.notify("schemasense: " .. result.error, vim.log.levels.ERROR)
    elseif result.needsDecision and #result.needsDecision > 0 then
      local decided = vim.deepcopy(renames or {})
      local function ask(i)
        local label = result.needsDecision[i]
        if not label then
          return M._generate(client, uri, decided)
        end
        vim.ui.select({ "Rename", "Drop and add" }, {
          prompt = label .. ": a rename, or a drop and an add?",
        }, function(choice)
          if choice then
            decided[label] = choice == "Rename"
            ask(i + 1)
          end
        end)
      end
      ask(1)
    elseif result.applied then
      vim.notify(
        "schemasense: migration " .. (result.name or "") .. " written (:wall to save it)",
        vim.log.levels.INFO
      )
    elseif result.message then
      vim.notify("schemasense: " .. result.message, vim.log.levels.INFO)
    end
  end)
end

local LAYER_KEYS = { orm = "orm", migration = "migration" }

--- `:SchemasenseGenerateLayer` arguments: leading `orm:NAME` / `migration:NAME` tokens (the
--- CLI's key:value form), then the description (its text, or `@path`). Returns the options.
function M.layer_options(args)
  local options = {}
  local rest = vim.trim(args or "")
  while true do
    local key, value, after = rest:match("^(%a+):(%S+)%s*(.*)$")
    if not (key and LAYER_KEYS[key]) then
      break
    end
    options[LAYER_KEYS[key]] = value
    rest = after
  end
  if rest ~= "" then
    options.description = rest
  end
  return options
end

--- `@path` relative to Neovim's working directory when that file exists there (the server
--- takes a relative path from the workspace folder otherwise).
local function resolve_description(description)
  local relative = description:match("^@(.+)$")
  if relative and not vim.startswith(relative, "/") then
    local here = vim.fs.joinpath(uv.cwd(), relative)
    if uv.fs_stat(here) then
      return "@" .. vim.fs.normalize(here)
    end
  end
  return description
end

--- The report in a scratch buffer (Markdown, not a file: `:w` asks for a name), in a split.
function M.show_report(result)
  local buf = vim.api.nvim_create_buf(false, true)
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, vim.split(result.report or "", "\n", { plain = true }))
  vim.bo[buf].filetype = "markdown"
  vim.bo[buf].bufhidden = "wipe"
  vim.bo[buf].modified = false
  pcall(vim.api.nvim_buf_set_name, buf, "schemasense://" .. (result.feature or "feature") .. " database layer.md")
  vim.cmd("botright split")
  vim.api.nvim_win_set_buf(0, buf)
  return buf
end

--- "Generate database layer…": `schemasense.generateDatabaseLayer {description, orm?,
--- migration?, projectUri?}` (server/features/generate_layer.py). The server applies every file
--- as one workspace edit (buffers, not yet saved: `:wall` keeps them); the report opens in a
--- scratch buffer. A project with several model sets is asked with vim.ui.select.
function M.generate_layer(options)
  options = vim.deepcopy(options or {})
  local client = client_offering(
    client_for(0) or vim.lsp.get_clients({ name = M.name })[1],
    "schemasense.generateDatabaseLayer",
    "Generate database layer",
    "not running (open one of the project's model files first)"
  )
  if not client then
    return
  end
  if not options.description or options.description == "" then
    vim.ui.input({ prompt = "Description (schema text, or @path): " }, function(input)
      if input and vim.trim(input) ~= "" then
        options.description = vim.trim(input)
        M.generate_layer(options)
      end
    end)
    return
  end
  options.description = resolve_description(options.description)
  if not options.projectUri and client.root_dir then
    options.projectUri = vim.uri_from_fname(client.root_dir)
  end
  execute(client, "Generate database layer", "schemasense.generateDatabaseLayer", options, function(result)
    if result.ormChoices and #result.ormChoices > 0 and not options.orm then
      vim.ui.select(result.ormChoices, {
        prompt = "More than one model set: which ORM gets the feature? (orm:)",
      }, function(choice)
        if choice then
          options.orm = choice
          M.generate_layer(options)
        end
      end)
    elseif result.error then
      -- the server's window/showMessage said it, with the problems (line:column)
      M.last_layer = result
    elseif result.applied then
      M.last_layer = result
      M.show_report(result)
      vim.notify(
        "schemasense: database layer " .. (result.feature or "") .. " written to "
          .. #(result.files or {}) .. " buffers (:wall to save them)",
        vim.log.levels.INFO
      )
    end
  end)
end

local function user_commands()
  vim.api.nvim_create_user_command("SchemasenseGenerateMigration", M.generate_migration, {
    desc = "schemasense: generate the migration from the schema's changes",
  })
  vim.api.nvim_create_user_command("SchemasenseGenerateLayer", function(cmd)
    local options = M.layer_options(cmd.args)
    if cmd.range > 0 and not options.description then
      local lines = vim.api.nvim_buf_get_lines(0, cmd.line1 - 1, cmd.line2, false)
      options.description = table.concat(lines, "\n") .. "\n"
    end
    M.generate_layer(options)
  end, {
    nargs = "*",
    range = true,
    complete = "file",
    desc = "schemasense: generate the database layer of a feature from a description "
      .. "([orm:X] [migration:Y] {text or @path}, or a range of lines)",
  })
  vim.api.nvim_create_user_command("SchemasenseRestart", M.restart, {
    desc = "schemasense: restart the language server",
  })
end

--- Stop the server, then start it again for every buffer it was attached to.
function M.restart()
  for _, client in ipairs(vim.lsp.get_clients({ name = M.name })) do
    client:stop()
  end
  -- vim.lsp.enable's FileType autocmds (0.11), or setup()'s own on 0.10.
  local group = vim.lsp.config and "nvim.lsp.enable" or "schemasense"
  local tries = 0
  local function start_again()
    if #vim.lsp.get_clients({ name = M.name }) > 0 and tries < 50 then
      tries = tries + 1
      vim.defer_fn(start_again, 100)
      return
    end
    pcall(vim.cmd.doautoall, group .. " FileType")
  end
  start_again()
end

--- Neovim 0.11+: configure and enable the server. opts as for M.config, plus
--- `enable = false` to configure without enabling.
function M.setup(opts)
  opts = opts or {}
  vim.filetype.add({ extension = { prisma = "prisma" } })
  user_commands()
  if vim.lsp.config then
    vim.lsp.config(M.name, M.config(opts))
    if opts.enable ~= false then
      vim.lsp.enable(M.name)
    end
    return
  end
  -- Neovim 0.10: start on FileType, the same decisions as root_dir above.
  local config = M.config(opts)
  vim.api.nvim_create_autocmd("FileType", {
    pattern = config.filetypes,
    group = vim.api.nvim_create_augroup("schemasense", { clear = true }),
    callback = function(args)
      config.root_dir(args.buf, function(root)
        vim.lsp.start({
          name = M.name,
          cmd = M.server_cmd(root, opts.cmd),
          root_dir = root,
          settings = config.settings,
          init_options = config.init_options,
          on_attach = opts.on_attach,
          capabilities = opts.capabilities,
        }, { bufnr = args.buf })
      end)
    end,
  })
end

--- nvim-lspconfig's legacy API (`require("lspconfig").schemasense.setup{}`), for Neovim 0.10.
--- On Neovim 0.11 with nvim-lspconfig 2, use `vim.lsp.enable("schemasense")` instead.
function M.lspconfig(opts)
  opts = opts or {}
  local configs = require("lspconfig.configs")
  local settings = vim.tbl_extend("force", M.default_settings, opts.settings or {})
  if not configs.schemasense then
    configs.schemasense = {
      default_config = {
        cmd = { "schemasense", "serve" },
        filetypes = M.filetypes,
        root_dir = function(fname)
          local bufnr = vim.fn.bufnr(fname)
          local filetype = bufnr >= 0 and vim.bo[bufnr].filetype or ""
          if not M.wants(fname, filetype, bufnr) then
            return nil
          end
          return M.root(fname)
        end,
        on_new_config = function(config, root)
          local cmd, looked = M.server_cmd(root, opts.cmd)
          if cmd then
            config.cmd = cmd
          else
            not_found(root, looked)
          end
        end,
        settings = { schemasense = settings },
        init_options = { schemasense = settings },
      },
      docs = { description = "schemasense: Prisma schemas, SQL migrations, TypeScript entities" },
    }
  end
  vim.filetype.add({ extension = { prisma = "prisma" } })
  user_commands()
  require("lspconfig").schemasense.setup({
    on_attach = opts.on_attach,
    capabilities = opts.capabilities,
  })
end

return M
