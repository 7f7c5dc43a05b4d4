// The engine's own floor: a dynamic provider that does no work. Its outputs are its inputs (the
// secret password stays secret: an output named like a secret input is kept secret), so its
// state has about the shape and size of a UserPassword's.
//
// The benchmarks install this file as a package into node_modules (see programs.ts) and use
// the module's exports object itself as the provider, exactly as the library does: Pulumi then
// serializes `__provider` by reference (a one-line require, ~300 bytes) instead of by value, so
// both sides carry the same kind of `__provider` in every resource's state.
"use strict";

module.exports = {
  async check(_olds, news) {
    return { inputs: news };
  },
  async diff(_id, olds, news) {
    const replaces = [];
    if (olds.userPoolId !== news.userPoolId) replaces.push("userPoolId");
    if (olds.username !== news.username) replaces.push("username");
    const changes = replaces.length > 0 || olds.password !== news.password;
    return { changes, replaces };
  },
  async create(inputs) {
    return { id: `${inputs.userPoolId}/${inputs.username}`, outs: { ...inputs, status: "CONFIRMED" } };
  },
  async read(id, props) {
    return { id, props };
  },
  async update(_id, _olds, news) {
    return { outs: { ...news, status: "CONFIRMED" } };
  },
  async delete() {},
};
