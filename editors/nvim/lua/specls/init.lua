-- specls for Neovim: starts `specls serve` for spec documents
-- (tasks/prd-<feature>/_prd.md, _techspec.md, _tasks.md) and adds commands
-- for the gate report and AI generation.
--
-- Neovim 0.11+: the config lives in lsp/specls.lua and starts through
-- vim.lsp.enable('specls'). Neovim 0.8-0.10: vim.lsp.start on opening a
-- spec. Neovim 0.7: vim.lsp.start_client + vim.lsp.buf_attach_client, one
-- client per workspace root.
local M = {}

local api = vim.api

-- Names of the documents specls checks.
M.spec_files = { '_prd.md', '_techspec.md', '_tasks.md' }

-- Root markers, nearest first: a folder holding .specls.yaml or tasks/ is
-- the workspace (as the server decides); else the repository.
M.root_markers = { { '.specls.yaml', 'tasks' }, { '.git' } }

-- Server commands (server/commands.go, server/generate.go).
local SHOW_GATES = 'specls.showGates'
local GENERATE = {
  ['specls.generateSection'] = true,
  ['specls.draftTechSpec'] = true,
  ['specls.configureAI'] = true,
}

local defaults = {
  cmd = { 'specls', 'serve' },
  -- settings.specls has the shape of .specls.yaml and overrides it key by
  -- key, e.g. { specls = { rules = { ['section-empty'] = 'off' } } }; the
  -- `specls` level may be left out: { gates = { C = 'off' } }.
  settings = { specls = vim.empty_dict() },
  autostart = true,
  -- completion: on 0.11+, vim.lsp.completion with autotrigger in spec
  -- buffers. On every version 'omnifunc' is the LSP one (<C-x><C-o>).
  completion = false,
  -- codelens: show the gate summary above the title of a tech spec.
  codelens = true,
}

M.options = vim.deepcopy(defaults)
M._user = {} -- what setup() was given, for vim.lsp.config on 0.11+

local has = function(v)
  return vim.fn.has('nvim-' .. v) == 1
end

-- normalize_settings wraps settings given without their `specls` level,
-- the section the server asks for.
function M.normalize_settings(settings)
  if settings == nil then
    return nil
  end
  if settings.specls ~= nil then
    return settings
  end
  if next(settings) == nil then
    return { specls = vim.empty_dict() }
  end
  return { specls = settings }
end

-- setup configures the plugin; optional (the plugin starts with defaults).
-- opts: cmd, settings, init_options, on_attach, on_init, capabilities,
-- handlers, autostart, completion, codelens.
function M.setup(opts)
  opts = vim.deepcopy(opts or {})
  opts.settings = M.normalize_settings(opts.settings)
  M._user = opts
  M.options = vim.tbl_deep_extend('force', vim.deepcopy(defaults), opts)
  -- A plugin manager may add the plugin to 'runtimepath' after startup,
  -- when plugin/specls.lua is no longer sourced: setup does its work.
  M.create_commands()
  if M.options.autostart then
    M.enable()
  end
end

-- is_spec tells whether a buffer holds a spec document.
function M.is_spec(bufnr)
  local name = api.nvim_buf_get_name(bufnr or 0)
  return name ~= '' and vim.tbl_contains(M.spec_files, vim.fn.fnamemodify(name, ':t'))
end

local function exists(path)
  return vim.loop.fs_stat(path) ~= nil
end

-- root_dir returns the workspace root of a file: the nearest ancestor
-- holding a marker of the first group, else of the next, else the
-- file's folder.
function M.root_dir(path)
  local start = vim.fn.fnamemodify(path, ':p:h')
  for _, group in ipairs(M.root_markers) do
    local dir = start
    while true do
      for _, marker in ipairs(group) do
        if exists(dir .. '/' .. marker) then
          return dir
        end
      end
      local parent = vim.fn.fnamemodify(dir, ':h')
      if parent == dir then
        break
      end
      dir = parent
    end
  end
  return start
end

-- notify sends a notification with the calling convention of this Neovim.
local function notify(client, method, params)
  if has('0.11') then
    return client:notify(method, params)
  end
  return client.notify(method, params)
end

-- on_init sends the settings once more as workspace/didChangeConfiguration:
-- Neovim 0.7 neither declares workspace/configuration nor sends them
-- itself; a server that can ask for them asks instead.
function M.on_init(client)
  if not has('0.8') then
    M.fix_07_completion(client)
  end
  local settings = client.config.settings
  if settings and next(settings) ~= nil then
    notify(client, 'workspace/didChangeConfiguration', { settings = settings })
  end
end

-- fix_07_completion: Neovim 0.7's omnifunc finds where a completion starts
-- from the items' textEdit only when they have no filterText; specls sends
-- one ("## Data Models", for clients that filter on it), so 0.7 took the
-- word before the cursor as the start and dropped every heading. The
-- filterText equal to the inserted text says nothing 0.7 needs: drop it.
function M.fix_07_completion(client)
  local request = client.request
  client.request = function(method, params, handler, bufnr)
    if method == 'textDocument/completion' and handler then
      local inner = handler
      handler = function(err, result, ...)
        local items = result and (result.items or result) or {}
        for _, item in ipairs(items) do
          if item.textEdit and item.filterText == item.textEdit.newText then
            item.filterText = nil
          end
        end
        return inner(err, result, ...)
      end
    end
    return request(method, params, handler, bufnr)
  end
end

-- client_config is the configuration of a client for a root.
function M.client_config(root)
  local o = M.options
  local base
  if has('0.11') and vim.lsp.config then
    -- lsp/specls.lua plus whatever the user gave vim.lsp.config.
    base = vim.deepcopy(vim.lsp.config.specls or {})
    base.root_dir = nil
  else
    base = {
      cmd = o.cmd,
      settings = o.settings,
      -- Settings ride along in initialize too: the first check already
      -- uses them, on every version.
      init_options = o.init_options or (o.settings and o.settings.specls),
      on_init = function(client, result)
        M.on_init(client)
        if o.on_init then
          o.on_init(client, result)
        end
      end,
      on_attach = function(client, bufnr)
        if not has('0.8') then
          M.on_attach(client, bufnr) -- 0.8+: the LspAttach autocommand
        end
        if o.on_attach then
          o.on_attach(client, bufnr)
        end
      end,
      capabilities = o.capabilities,
      handlers = vim.tbl_extend('keep', o.handlers or {}, { ['window/showMessage'] = M.show_message }),
    }
  end
  base.name = 'specls'
  base.root_dir = root
  base.workspace_folders = { { uri = vim.uri_from_fname(root), name = root } }
  return base
end

-- clients returns the specls clients attached to a buffer (all when nil).
function M.clients(bufnr)
  if vim.lsp.get_clients then
    return vim.lsp.get_clients({ bufnr = bufnr, name = 'specls' })
  end
  local out = {}
  local all = bufnr and vim.lsp.buf_get_clients(bufnr) or vim.lsp.get_active_clients()
  for _, c in pairs(all) do
    if c.name == 'specls' then
      table.insert(out, c)
    end
  end
  return out
end

local by_root = {} -- root -> client id, for Neovim 0.7

-- attach starts (or reuses) the client of the buffer's root and attaches it.
function M.attach(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and api.nvim_get_current_buf() or bufnr
  if not M.is_spec(bufnr) or #M.clients(bufnr) > 0 then
    return
  end
  local root = M.root_dir(api.nvim_buf_get_name(bufnr))
  local config = M.client_config(root)
  if vim.lsp.start then
    return vim.lsp.start(config, { bufnr = bufnr })
  end
  local id = by_root[root]
  local client = id and vim.lsp.get_client_by_id(id)
  if not client or client.is_stopped() then
    id = vim.lsp.start_client(config)
    if not id then
      vim.notify('specls: could not start ' .. table.concat(config.cmd, ' ') .. ' (see :checkhealth specls)', vim.log.levels.ERROR)
      return
    end
    by_root[root] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
  return id
end

-- refresh_codelens asks for the buffer's code lenses again (0.7-0.11; on
-- 0.12 vim.lsp.codelens.enable keeps them current).
local function refresh_codelens(bufnr)
  if not api.nvim_buf_is_loaded(bufnr) or #M.clients(bufnr) == 0 then
    return
  end
  if has('0.10') then
    vim.lsp.codelens.refresh({ bufnr = bufnr })
  else
    api.nvim_buf_call(bufnr, function()
      vim.lsp.codelens.refresh()
    end)
  end
end

-- on_attach sets up a spec buffer for specls: the LSP omnifunc (the
-- markdown ftplugin sets htmlcomplete's, which Neovim then leaves alone),
-- completion on 0.11+ when asked for, and the gate code lens kept fresh.
function M.on_attach(client, bufnr)
  if client.name ~= 'specls' then
    return
  end
  vim.bo[bufnr].omnifunc = 'v:lua.vim.lsp.omnifunc'
  if M.options.completion and has('0.11') and vim.lsp.completion then
    vim.lsp.completion.enable(true, client.id, bufnr, { autotrigger = true })
  end
  if not M.options.codelens then
    return
  end
  if vim.lsp.codelens.enable then
    vim.lsp.codelens.enable(true, { bufnr = bufnr })
    return
  end
  local group = api.nvim_create_augroup('specls_codelens_' .. bufnr, { clear = true })
  api.nvim_create_autocmd({ 'BufEnter', 'InsertLeave' }, {
    group = group,
    buffer = bufnr,
    callback = function()
      refresh_codelens(bufnr)
    end,
  })
  -- The gates change with the diagnostics (of this or a sibling file).
  api.nvim_create_autocmd('DiagnosticChanged', {
    group = group,
    buffer = bufnr,
    callback = function()
      refresh_codelens(bufnr)
    end,
  })
  refresh_codelens(bufnr)
end

-- show_report opens text in a scratch float (q or <Esc> closes it), for
-- reports too long for the message line. Returns the buffer.
function M.show_report(text, title)
  local lines = vim.split(text, '\n', { plain = true })
  local buf = api.nvim_create_buf(false, true)
  api.nvim_buf_set_lines(buf, 0, -1, false, lines)
  vim.bo[buf].modifiable = false
  vim.bo[buf].bufhidden = 'wipe'
  vim.b[buf].specls_report = title or 'specls'
  local width = 20
  for _, l in ipairs(lines) do
    width = math.max(width, vim.fn.strdisplaywidth(l))
  end
  width = math.min(width, math.max(20, vim.o.columns - 4))
  local height = math.min(#lines, math.max(1, vim.o.lines - 4))
  api.nvim_open_win(buf, true, {
    relative = 'editor',
    row = math.max(0, math.floor((vim.o.lines - height) / 2) - 1),
    col = math.max(0, math.floor((vim.o.columns - width) / 2)),
    width = width,
    height = height,
    style = 'minimal',
    border = 'rounded',
  })
  for _, key in ipairs({ 'q', '<Esc>' }) do
    api.nvim_buf_set_keymap(buf, 'n', key, '<cmd>close<CR>', { noremap = true, silent = true })
  end
  return buf
end

-- show_message is specls's window/showMessage handler: a message of several
-- lines (the gate report) opens in a float; others go to Neovim's.
function M.show_message(err, result, ctx, config)
  if result and type(result.message) == 'string' and result.message:find('\n') then
    M.show_report(result.message, 'specls')
    return vim.NIL
  end
  return vim.lsp.handlers['window/showMessage'](err, result, ctx, config)
end

-- The lens's command runs here rather than on the server: the report opens
-- in a float instead of a many-line message.
vim.lsp.commands['specls.showGates'] = function(command, ctx)
  M.gates(ctx and ctx.bufnr or 0)
end

-- enable starts specls for spec documents opened from now on and for the
-- ones already open.
function M.enable()
  local group = api.nvim_create_augroup('specls', { clear = true })
  if has('0.8') then
    api.nvim_create_autocmd('LspAttach', {
      group = group,
      callback = function(args)
        local client = vim.lsp.get_client_by_id(args.data.client_id)
        if client and client.name == 'specls' then
          M.on_attach(client, args.buf)
        end
      end,
    })
  end
  if has('0.11') and vim.lsp.enable then
    -- Only the keys the user gave: the rest comes from lsp/specls.lua.
    local user = {}
    for _, k in ipairs({ 'cmd', 'settings', 'init_options', 'on_attach', 'on_init', 'capabilities', 'handlers' }) do
      user[k] = M._user[k]
    end
    if user.settings and not user.init_options then
      user.init_options = user.settings.specls
    end
    user.handlers = vim.tbl_extend('keep', user.handlers or {}, { ['window/showMessage'] = M.show_message })
    if next(user) then
      vim.lsp.config('specls', user)
    end
    vim.lsp.enable('specls')
    return
  end
  api.nvim_create_autocmd({ 'BufReadPost', 'BufNewFile' }, {
    group = group,
    pattern = M.spec_files,
    callback = function(args)
      M.attach(args.buf)
    end,
  })
  for _, b in ipairs(api.nvim_list_bufs()) do
    if api.nvim_buf_is_loaded(b) and M.is_spec(b) then
      M.attach(b)
    end
  end
end

-- request sends a request with the calling convention of this Neovim.
local function request(client, method, params, handler, bufnr)
  if has('0.11') then
    return client:request(method, params, handler, bufnr)
  end
  return client.request(method, params, handler, bufnr)
end

local function request_sync(client, method, params, timeout, bufnr)
  if has('0.11') then
    return client:request_sync(method, params, timeout, bufnr)
  end
  return client.request_sync(method, params, timeout, bufnr)
end

-- client_for returns the buffer's specls client, or nil after saying why.
local function client_for(bufnr)
  if not M.is_spec(bufnr) then
    vim.notify('specls: open a _prd.md, _techspec.md or _tasks.md first', vim.log.levels.WARN)
    return nil
  end
  local c = M.clients(bufnr)[1]
  if not c then
    vim.notify('specls: no language server for this buffer (see :checkhealth specls)', vim.log.levels.WARN)
  end
  return c
end

-- execute runs a server command; the server shows its own messages.
function M.execute(client, command, arguments, bufnr, on_done)
  request(client, 'workspace/executeCommand', { command = command, arguments = arguments }, function(err, result)
    if err then
      vim.notify('specls: ' .. command .. ': ' .. (err.message or vim.inspect(err)), vim.log.levels.ERROR)
    end
    if on_done then
      on_done(err, result)
    end
  end, bufnr)
end

-- gates shows the gate report of the buffer's feature (:SpeclsGates).
function M.gates(bufnr, on_done)
  bufnr = (bufnr == nil or bufnr == 0) and api.nvim_get_current_buf() or bufnr
  local c = client_for(bufnr)
  if c then
    M.execute(c, SHOW_GATES, { vim.uri_from_bufnr(bufnr) }, bufnr, on_done)
  end
end

-- generate_actions returns the server's "Generate … with AI" actions for
-- the whole buffer: { title, command } pairs.
function M.generate_actions(bufnr, timeout)
  local c = client_for(bufnr)
  if not c then
    return {}, nil
  end
  local last = api.nvim_buf_line_count(bufnr) - 1
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = { start = { line = 0, character = 0 }, ['end'] = { line = last, character = #api.nvim_buf_get_lines(bufnr, last, last + 1, false)[1] } },
    context = { diagnostics = {}, only = { 'quickfix', 'source' } },
  }
  local res = request_sync(c, 'textDocument/codeAction', params, timeout or 5000, bufnr)
  local out, seen = {}, {}
  for _, a in ipairs(res and res.result or {}) do
    local cmd = type(a.command) == 'table' and a.command or (type(a.command) == 'string' and a or nil)
    if cmd and GENERATE[cmd.command] and not seen[a.title] then
      seen[a.title] = true
      table.insert(out, { title = a.title, command = cmd })
    end
  end
  return out, c
end

-- generate writes a section with AI (:SpeclsGenerate [section]). Without a
-- section it offers the ones the server can generate.
function M.generate(bufnr, section)
  bufnr = (bufnr == nil or bufnr == 0) and api.nvim_get_current_buf() or bufnr
  if section and section ~= '' then
    local c = client_for(bufnr)
    if c then
      M.execute(c, 'specls.generateSection', { { path = api.nvim_buf_get_name(bufnr), section = section } }, bufnr)
    end
    return
  end
  local actions, c = M.generate_actions(bufnr)
  if not c then
    return
  end
  if #actions == 0 then
    vim.notify('specls: nothing to generate: no section is missing, empty or still template text', vim.log.levels.INFO)
    return
  end
  local run = function(a)
    if a then
      M.execute(c, a.command.command, a.command.arguments, bufnr)
    end
  end
  if #actions == 1 and actions[1].command.command == 'specls.configureAI' then
    return run(actions[1])
  end
  vim.ui.select(actions, {
    prompt = 'Generate which section with AI?',
    format_item = function(a)
      return a.title
    end,
  }, run)
end

-- complete_sections completes :SpeclsGenerate with the sections the
-- server offers to generate in the current buffer.
function M.complete_sections(arglead)
  local out = {}
  for _, a in ipairs((M.generate_actions(api.nvim_get_current_buf(), 1000))) do
    local arg = a.command.arguments and a.command.arguments[1]
    local s = type(arg) == 'table' and arg.section or nil
    if s and s:lower():find(arglead:lower(), 1, true) == 1 then
      table.insert(out, s)
    end
  end
  return out
end

-- restart stops the specls clients and starts them again for their buffers.
function M.restart()
  local buffers = {}
  local stopping = M.clients()
  for _, c in ipairs(stopping) do
    vim.list_extend(buffers, c.attached_buffers and vim.tbl_keys(c.attached_buffers) or vim.lsp.get_buffers_by_client_id(c.id))
    if has('0.11') then
      c:stop()
    else
      c.stop()
    end
  end
  by_root = {}
  -- Wait for the old servers to exit (on the event, bounded) so that the
  -- new ones do not find the old clients attached.
  vim.wait(5000, function()
    for _, c in ipairs(stopping) do
      if vim.lsp.get_client_by_id(c.id) then
        return false
      end
    end
    return true
  end, 20)
  for _, b in ipairs(buffers) do
    if api.nvim_buf_is_loaded(b) then
      M.attach(b)
    end
  end
end

-- create_commands defines the user commands.
function M.create_commands()
  api.nvim_create_user_command('SpeclsGates', function()
    M.gates(0)
  end, { desc = 'specls: show the gate report of the current spec' })
  api.nvim_create_user_command('SpeclsGenerate', function(o)
    M.generate(0, o.args)
  end, {
    nargs = '?',
    complete = function(arglead)
      return M.complete_sections(arglead)
    end,
    desc = 'specls: generate a section with AI',
  })
  api.nvim_create_user_command('SpeclsRestart', function()
    M.restart()
  end, { desc = 'specls: restart the language server' })
end

return M
