//! Neovim's built-in LSP client (headless, Debian's `neovim`) against `dockstage lsp`: it opens a
//! Dockerfile with a known problem, reads the diagnostics, and applies a code action.

use std::process::Command;

const SCRIPT: &str = r#"
local out = {}
local client_id = vim.lsp.start_client({ name = "dockstage", cmd = { vim.env.DOCKSTAGE_BIN, "lsp" }, root_dir = vim.fn.getcwd() })
vim.lsp.buf_attach_client(0, client_id)
local ok = vim.wait(20000, function() return #vim.diagnostic.get(0) > 0 end, 50)
for _, d in ipairs(vim.diagnostic.get(0)) do
  table.insert(out, "diag " .. d.lnum .. " " .. tostring(d.code))
end
local params = vim.lsp.util.make_range_params()
params.range = { start = { line = 0, character = 0 }, ["end"] = { line = 0, character = 11 } }
params.context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics(0, 0) }
local results = vim.lsp.buf_request_sync(0, "textDocument/codeAction", params, 20000) or {}
for _, res in pairs(results) do
  for _, action in ipairs(res.result or {}) do
    table.insert(out, "action " .. action.title)
    if action.title == "Ignore DL3006 on this line" then
      vim.lsp.util.apply_workspace_edit(action.edit, "utf-16")
    end
  end
end
vim.cmd("write")
vim.fn.writefile(out, vim.env.OUT_FILE)
vim.lsp.stop_client(client_id)
vim.wait(2000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 50)
vim.cmd("qall!")
"#;

#[test]
fn neovim_reads_diagnostics_and_applies_a_code_action() {
    let nvim = Command::new("nvim").arg("--version").output();
    assert!(nvim.is_ok(), "nvim not found: scripts/install-test-deps.sh installs Debian's neovim");
    let dir = tempfile::tempdir().unwrap();
    let df = dir.path().join("Dockerfile");
    std::fs::write(&df, "FROM ubuntu\nRUN echo hi\n").unwrap();
    let script = dir.path().join("test.lua");
    std::fs::write(&script, SCRIPT).unwrap();
    let out_file = dir.path().join("out.txt");
    let status = Command::new("nvim")
        .args(["--headless", "--clean", "-n"])
        .arg(&df)
        .arg("-c")
        .arg(format!("luafile {}", script.display()))
        .current_dir(dir.path())
        .env("DOCKSTAGE_BIN", env!("CARGO_BIN_EXE_dockstage"))
        .env("OUT_FILE", &out_file)
        .env("XDG_CACHE_HOME", dir.path().join("cache"))
        .env("XDG_STATE_HOME", dir.path().join("state"))
        .status()
        .unwrap();
    assert!(status.success());
    let out = std::fs::read_to_string(&out_file).unwrap();
    assert!(out.lines().any(|l| l == "diag 0 DL3006"), "{out}");
    assert!(out.lines().any(|l| l == "action Ignore DL3006 on this line"), "{out}");
    let fixed = std::fs::read_to_string(&df).unwrap();
    assert_eq!(fixed, "# hadolint ignore=DL3006\nFROM ubuntu\nRUN echo hi\n");
}
