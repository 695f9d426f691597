-- One headless Neovim session for tests/editors/test_nvim.py:
--   nvim --headless --clean -l nvim_session.lua PLAN.json
-- PLAN: { plugin = editors/nvim, mode = "setup" | "enable", files = { paths },
--         fix = { file, code, title } (optional), out = result.json,
--         attach_wait, publish_wait (ms, optional), expect_attached (files, optional),
--         restart (run :SchemasenseRestart),
--         generate (run :SchemasenseGenerateMigration, then :wall),
--         actions = { { file, at, title, kind, only (kinds) (both optional) } } (optional) }
-- For each file: whether schemasense attached, its root, the diagnostics after the first
-- publish. With `fix`: the code actions offered for the diagnostic with that code, the chosen
-- one applied, the buffer written, and the diagnostics published after that.
-- With `actions`: for each, the cursor on the first line of `file` containing `at` (on its first
-- non-blank), vim.lsp.buf.code_action() with a filter that takes the action whose title starts
-- with `title` (and is of `kind`) and applies it (what a user does), then :wall; the titles offered are recorded.
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

  -- Whether schemasense attaches to `buf` (polled, bounded by `wait`); its root, command,
  -- first diagnostics.
  local function describe(entry, buf, wait)
    local uri = vim.uri_from_bufnr(buf)
    entry.attached = vim.wait(wait, function()
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
  end

  -- With `expect_attached` (files), each of those is waited for (the server may be slow to
  -- start on a loaded machine), the others are looked at again once that is done and
  -- `attach_wait` (default 1 s) has passed, so a late attach still shows.
  local expect
  if plan.expect_attached then
    expect = {}
    for _, file in ipairs(plan.expect_attached) do
      expect[file] = true
    end
  end
  local opened = {}
  for _, file in ipairs(plan.files) do
    vim.cmd.edit(vim.fn.fnameescape(file))
    local buf = vim.api.nvim_get_current_buf()
    local entry = { file = file, filetype = vim.bo[buf].filetype }
    local wait
    if expect then
      wait = expect[file] and WAIT or 0
    else
      -- A buffer schemasense does not want gets no client: `attach_wait` gives it a moment
      -- to prove it; without one the file is expected to attach, however long that takes.
      wait = plan.attach_wait or WAIT
    end
    describe(entry, buf, wait)
    table.insert(result.files, entry)
    opened[entry] = buf
  end
  if expect then
    vim.wait(plan.attach_wait or 1000)
    for entry, buf in pairs(opened) do
      if not entry.attached then
        describe(entry, buf, 0)
      end
    end
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

  if plan.actions then
    result.applied = {}
    for _, step in ipairs(plan.actions) do
      local buf = vim.fn.bufnr(step.file)
      vim.api.nvim_set_current_buf(buf)
      assert(client_of(buf), "no schemasense client for " .. step.file)
      local row
      for i, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
        if line:find(step.at, 1, true) then
          row = i
          break
        end
      end
      assert(row, "no line with " .. step.at .. " in " .. step.file)
      vim.api.nvim_win_set_cursor(0, { row, 0 })
      vim.cmd("normal! ^")
      local record = { file = step.file, title = step.title, offered = {} }
      local buffers = #vim.api.nvim_list_bufs()
      local notes = #result.notes
      vim.lsp.buf.code_action({
        apply = true,
        context = step.only and { only = step.only } or nil,
        filter = function(action)
          table.insert(record.offered, action.title)
          local chosen = action.title:sub(1, #step.title) == step.title
            and (step.kind == nil or action.kind == step.kind)
          record.chosen = record.chosen or (chosen and action.title) or nil
          return chosen
        end,
      })
      -- Applied: the edit opened the files it made (or edited) in new buffers.
      vim.wait(WAIT, function()
        return #vim.api.nvim_list_bufs() > buffers or #result.notes > notes
      end, 20)
      record.applied = #vim.api.nvim_list_bufs() > buffers
      vim.cmd("silent! wall")
      table.insert(result.applied, record)
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
