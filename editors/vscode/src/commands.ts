// Commands of the server (server/commands.go, server/generate.go) that the
// extension runs. vscode-languageclient registers every command the server
// announces under its own name, so the extension's own commands
// (package.json contributes.commands) must use other names; the Go test
// settings_test.go checks both against the server.
export const SHOW_GATES = 'specls.showGates';
export const GENERATE_SECTION = 'specls.generateSection';
export const DRAFT_TECHSPEC = 'specls.draftTechSpec';
export const CONFIGURE_AI = 'specls.configureAI';
