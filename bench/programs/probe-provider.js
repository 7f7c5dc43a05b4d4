// A dynamic provider that records which of its methods the engine calls (one line per call,
// appended to `logFile`), so the report can show what each engine operation asks of a
// provider, e.g. that `pulumi refresh` calls `diff` after every `read`. Captures only the
// file name (a string), so Pulumi serializes it by value without trouble.
"use strict";

function probeProvider(logFile) {
  const note = (method) => require("fs").appendFileSync(logFile, `${method}\n`);
  return {
    async check(_olds, news) {
      note("check");
      return { inputs: news };
    },
    async diff() {
      note("diff");
      return { changes: false };
    },
    async create(inputs) {
      note("create");
      return { id: `${inputs.userPoolId}/${inputs.username}`, outs: { userPoolId: inputs.userPoolId, username: inputs.username } };
    },
    async read(id, props) {
      note("read");
      return { id, props };
    },
    async update(_id, olds) {
      note("update");
      return { outs: olds };
    },
    async delete() {
      note("delete");
    },
  };
}

module.exports = { probeProvider };
