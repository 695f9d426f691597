-- One headless Neovim session for tests/editors/test_nvim.py:
--   nvim --headless --clean -l nvim_session.lua PLAN.json
-- PLAN: { plugin = editors/nvim, mode = "setup" | "enable", files = { paths },
--         fix = { file, code, title } (optional), out = result.json,
--         attach_wait, publish_wait (ms, optional), restart (run :SchemasenseRestart),
--         generate (run :SchemasenseGenerateMigration, then :wall) }
-- For each file: whether schemasense attached, its root, the diagnostics after the first
-- publish. With `fix`: the code actions offered for the diagnostic with that code, the chosen
-- one applied, the buffer written, and the diagnostics published after that.
-- Every wait is bounded; the result is written even when something timed out.

local plan = vim.json.decode(table.concat(vim.fn.readfile(arg[1]), "\n"))
local WAIT = 20000
local result = { notes = {}, files = {}, errors = {} }

local function finish()
  vim.fn.writefile({ vim.json.encode(result) }, plan.out)
  vim.cmd("qa!")
end

local ok, err = xpcall(function()
  vim.opt.rtp:prepend(plan.plugin)
  vim.notify = function(msg, level)
    table.insert(result.notes, { message = msg, level = level })
  end

  local published = {} -- uri -> number of publishDiagnostics received
  local handler = vim.lsp.handlers["textDocument/publishDiagnostics"]
  vim.lsp.handlers["textDocument/publishDiagnostics"] = function(e, res, ctx, config)
    if res then
      published[res.uri] = (published[res.uri] or 0) + 1
    end
    return handler(e, res, ctx, config)
  end

  if plan.mode == "setup" then
    require("schemasense").setup()
  else
    vim.lsp.enable("schemasense") -- the lsp/schemasense.lua config file on 'runtimepath'
  end

  local function diagnostics(buf)
    local out = {}
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      table.insert(out, {
        line = d.lnum + 1,
        column = d.col + 1,
        message = d.message,
        code = d.code,
        severity = d.severity,
        source = d.source,
      })
    end
    table.sort(out, function(a, b)
      return a.line < b.line or (a.line == b.line and a.column < b.column)
    end)
    return out
  end

  local function client_of(buf)
    return vim.lsp.get_clients({ bufnr = buf, name = "schemasense" })[1]
  end

  for _, file in ipairs(plan.files) do
    vim.cmd.edit(vim.fn.fnameescape(file))
    local buf = vim.api.nvim_get_current_buf()
    local uri = vim.uri_from_bufnr(buf)
    local entry = { file = file, filetype = vim.bo[buf].filetype }
    -- A buffer schemasense does not want gets no client: give it a moment to prove it.
    entry.attached = vim.wait(plan.attach_wait or 5000, function()
      return client_of(buf) ~= nil
    end, 20)
    if entry.attached then
      local client = client_of(buf)
      entry.root = client.config.root_dir
      entry.cmd = type(client.config.cmd) == "table" and client.config.cmd or "function"
      entry.published = vim.wait(plan.publish_wait or WAIT, function()
        return (published[uri] or 0) > 0
      end, 20)
      entry.diagnostics = diagnostics(buf)
    end
    table.insert(result.files, entry)
  end

  local fix = plan.fix
  if fix then
    -- The buffer opened above (`:edit` again would reload it and re-attach the client).
    local buf = vim.fn.bufnr(fix.file)
    vim.api.nvim_set_current_buf(buf)
    local uri = vim.uri_from_bufnr(buf)
    local client = assert(client_of(buf), "no schemasense client for " .. fix.file)
    local target
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if d.code == fix.code then
        target = d
      end
    end
    assert(target, "no diagnostic " .. fix.code)
    local lsp_diagnostic = target.user_data and target.user_data.lsp
    local response = client:request_sync("textDocument/codeAction", {
      textDocument = { uri = uri },
      range = lsp_diagnostic.range,
      context = { diagnostics = { lsp_diagnostic }, triggerKind = 1 },
    }, WAIT, buf)
    assert(response and not response.err, vim.inspect(response))
    result.actions = {}
    local chosen
    for _, action in ipairs(response.result or {}) do
      table.insert(result.actions, action.title)
      if action.title == fix.title then
        chosen = action
      end
    end
    if chosen then
      local before = published[uri] or 0
      vim.lsp.util.apply_workspace_edit(chosen.edit, client.offset_encoding)
      vim.cmd.write()
      result.republished = vim.wait(WAIT, function()
        return (published[uri] or 0) > before
      end, 20)
      -- The server may publish for the change and again for the save: let it settle.
      vim.wait(500)
      result.after = diagnostics(buf)
    end
  end

  if plan.generate then
    vim.cmd("SchemasenseGenerateMigration")
    result.generated = vim.wait(WAIT, function()
      for _, note in ipairs(result.notes) do
        if note.message:find("written", 1, true) or note.message:find("not available", 1, true) then
          return true
        end
      end
      return false
    end, 20)
    vim.cmd("silent! wall")
  end

  if plan.restart then
    local buf = vim.api.nvim_get_current_buf()
    local uri = vim.uri_from_bufnr(buf)
    local old = client_of(buf)
    local before = published[uri] or 0
    vim.cmd("SchemasenseRestart")
    result.restarted = vim.wait(WAIT, function()
      local new = client_of(buf)
      return new ~= nil and new.id ~= old.id and (published[uri] or 0) > before
    end, 20)
    result.after_restart = diagnostics(buf)
  end
end, debug.traceback)

if not ok then
  table.insert(result.errors, err)
end
finish()
