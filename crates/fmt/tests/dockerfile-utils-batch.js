// Formats every file named on the command line with dockerfile-utils (the library the
// `dockerfile-utils format` command wraps), in one process, and prints a JSON array of the
// results (null for a file it throws on). Options as `dockerfile-utils format -s 4`.
// NODE_PATH must hold the global node_modules (the test sets it from `npm root -g`).
const fs = require("fs");
const utils = require("dockerfile-utils");

function lineStarts(text) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
        if (text[i] === "\n") starts.push(i + 1);
    }
    return starts;
}

function offset(starts, text, pos) {
    if (pos.line >= starts.length) return text.length;
    return Math.min(starts[pos.line] + pos.character, text.length);
}

const out = [];
for (const path of process.argv.slice(2)) {
    try {
        let text = fs.readFileSync(path).toString();
        const edits = utils.format(text, { insertSpaces: true, tabSize: 4 });
        const starts = lineStarts(text);
        const spans = edits.map((e) => [offset(starts, text, e.range.start), offset(starts, text, e.range.end), e.newText]);
        spans.sort((a, b) => b[0] - a[0]);
        for (const [s, e, t] of spans) text = text.substring(0, s) + t + text.substring(e);
        out.push(text);
    } catch (err) {
        out.push(null);
    }
}
process.stdout.write(JSON.stringify(out));
