// Starts `dockstage lsp` for Dockerfiles; everything else is the server's.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration("dockstage").get("path") || "dockstage";
  client = new LanguageClient(
    "dockstage",
    "dockstage",
    { command, args: ["lsp"] },
    {
      documentSelector: [
        { scheme: "file", language: "dockerfile" },
        { scheme: "file", pattern: "**/{Dockerfile,*.Dockerfile,Dockerfile.*,Containerfile*}" },
        { scheme: "untitled", language: "dockerfile" },
      ],
    },
  );
  context.subscriptions.push({ dispose: () => client && client.stop() });
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
