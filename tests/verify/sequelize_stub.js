// Loaded before a migration chain runs (tests/verify/sequelize_chain.js): a module a migration
// requires that is not in the corpus (the project's own code for data fixes, `uuid`) becomes an
// inert stand-in, named on stderr. On an empty database those data paths change no schema.
"use strict";

const Module = require("module");
const crypto = require("crypto");

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
      const key = `stub:${request}`;
      if (!require.cache[key]) {
        const stub = new Proxy(
          {},
          {
            get: (_t, k) => {
              if (k === "__esModule") return true;
              if (k === "v4") return () => crypto.randomUUID();
              if (k === "then") return undefined;
              if (/^[A-Z]/.test(String(k))) return {};
              return async () => ({ configObjects: [], errors: [] });
            },
          }
        );
        const m = new Module(key);
        m.exports = stub;
        m.loaded = true;
        require.cache[key] = m;
      }
      return key;
    }
  };
})();
