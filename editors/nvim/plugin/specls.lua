-- specls: language server for PRDs and tech specs. Loaded at startup; it
-- defines the commands and starts specls for spec documents unless
-- vim.g.specls_autostart is false (then call require('specls').setup()).
if vim.g.loaded_specls then
  return
end
vim.g.loaded_specls = true

if vim.fn.has('nvim-0.7') == 0 then
  vim.api.nvim_echo({ { 'specls: Neovim 0.7 or later is required', 'WarningMsg' } }, true, {})
  return
end

local specls = require('specls')
specls.create_commands()
if vim.g.specls_autostart ~= false and specls.options.autostart ~= false then
  specls.enable()
end
