// Loaded before a migration chain runs (tests/verify/sequelize_chain.js): a module a migration
// requires that is not in the corpus (the project's own code for data fixes, `uuid`) becomes an
// inert stand-in, named on stderr. On an empty database those data paths change no schema.
"use strict";

const Module = require("module");
const crypto = require("crypto");
const fs = require("fs");
const os = require("os");
const path = require("path");

const standIn = new Proxy(
  {},
  {
    get: (_t, k) => {
      if (k === "__esModule") return true;
      if (k === "default") return standIn;
      if (k === "v4") return () => crypto.randomUUID();
      if (k === "then") return undefined;
      if (/^[A-Z]/.test(String(k))) return {};
      return async () => ({ configObjects: [], errors: [] });
    },
  }
);
module.exports.standIn = standIn;

(function stubMissing() {
  const original = Module._resolveFilename;
  const stubbed = new Set();
  Module._resolveFilename = function (request, parent, ...rest) {
    try {
      return original.call(this, request, parent, ...rest);
    } catch (error) {
      if (!stubbed.has(request)) {
        stubbed.add(request);
        process.stderr.write(`stand-in for ${request}\n`);
      }
      // a real file (jiti reads what it resolves): exports the inert stand-in below
      const key = path.join(os.tmpdir(), `schemasense-stand-in-${request.replace(/[^\w]+/g, "_")}.js`);
      fs.writeFileSync(key, `module.exports = require(${JSON.stringify(__filename)}).standIn;\n`);
      return key;
    }
  };
})();
