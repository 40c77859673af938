-- :checkhealth specls
local M = {}

local health = vim.health or require('health')
local start = health.start or health.report_start
local ok = health.ok or health.report_ok
local info = health.info or health.report_info
local warn = health.warn or health.report_warn
local fail = health.error or health.report_error

local function server_cmd()
  local specls = require('specls')
  if vim.fn.has('nvim-0.11') == 1 and vim.lsp.config and vim.lsp.config.specls then
    return vim.lsp.config.specls.cmd or specls.options.cmd
  end
  return specls.options.cmd
end

function M.check()
  local specls = require('specls')
  start('specls')

  local v = vim.version()
  local version = string.format('%d.%d.%d', v.major, v.minor, v.patch)
  if vim.fn.has('nvim-0.11') == 1 then
    ok('Neovim ' .. version .. ': lsp/specls.lua with vim.lsp.enable')
  elseif vim.fn.has('nvim-0.8') == 1 then
    ok('Neovim ' .. version .. ': vim.lsp.start on spec files')
  elseif vim.fn.has('nvim-0.7') == 1 then
    ok('Neovim ' .. version .. ': vim.lsp.start_client on spec files')
  else
    fail('Neovim ' .. version .. ' is too old', { 'specls needs Neovim 0.7 or later' })
  end

  local cmd = server_cmd()
  if type(cmd) ~= 'table' or not cmd[1] then
    fail('cmd is not a list: ' .. vim.inspect(cmd), { "require('specls').setup({ cmd = { 'specls', 'serve' } })" })
    return
  end
  if vim.fn.executable(cmd[1]) ~= 1 then
    fail(cmd[1] .. ' is not an executable on PATH', {
      'Install it: go install github.com/specls/specls/cmd/specls@latest',
      "Or name the binary: require('specls').setup({ cmd = { '/path/to/specls', 'serve' } })",
    })
    return
  end
  local out = vim.fn.system({ cmd[1], 'version' })
  if vim.v.shell_error ~= 0 then
    fail(cmd[1] .. ' version failed: ' .. vim.trim(out))
    return
  end
  ok(string.format('%s (%s): %s', cmd[1], vim.fn.exepath(cmd[1]), vim.trim(out)))

  if vim.g.specls_autostart == false or specls.options.autostart == false then
    warn('autostart is off: spec files do not start specls by themselves')
  end

  local clients = specls.clients()
  if #clients == 0 then
    info('no specls client is running; open a _prd.md, _techspec.md or _tasks.md')
  end
  for _, c in ipairs(clients) do
    info(string.format('client %d: root %s, %d buffer(s)', c.id, c.config.root_dir or '?', #(c.attached_buffers and vim.tbl_keys(c.attached_buffers) or vim.lsp.get_buffers_by_client_id(c.id))))
  end

  -- :checkhealth opens its own buffer: look at every loaded spec buffer.
  for _, buf in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(buf) and specls.is_spec(buf) then
      local name = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(buf), ':~:.')
      if #specls.clients(buf) > 0 then
        ok(name .. ' is attached (workspace root ' .. specls.root_dir(vim.api.nvim_buf_get_name(buf)) .. ')')
      else
        warn(name .. ' is a spec but has no specls client', { ':SpeclsRestart, or see :LspLog' })
      end
    end
  end
end

return M
