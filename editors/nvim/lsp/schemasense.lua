-- Neovim 0.11+ reads this file for `vim.lsp.enable("schemasense")` when editors/nvim is on
-- 'runtimepath' (nvim-lspconfig 2 works the same way). Override any field with
-- `vim.lsp.config("schemasense", { settings = { schemasense = { dialect = "mysql" } } })`.
return require("schemasense").config()
