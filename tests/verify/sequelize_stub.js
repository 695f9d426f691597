// Loaded before a migration chain runs (tests/verify/sequelize_chain.js). A module a migration
// requires that is not in the corpus (the project's own code for data fixes, `uuid`), and any
// module named in SCHEMASENSE_STAND_INS (comma-separated requests, e.g. gladys' `../models`,
// which opens its own database), becomes an inert stand-in, named on stderr: calls on it
// resolve to nothing (`findAll` to [], `count` to 0, the rest to null). On an empty database
// those data paths change no schema; the schema steps go through the real queryInterface.
"use strict";

const Module = require("module");
const crypto = require("crypto");
const fs = require("fs");
const os = require("os");
const path = require("path");

function standIn(name) {
  const target = function () {};
  return new Proxy(target, {
    get: (_t, k) => {
      if (k === "__esModule") return true;
      if (k === "then") return undefined;
      if (k === "default") return standIn(name);
      if (k === "v4") return () => crypto.randomUUID();
      if (typeof k === "symbol") return undefined;
      if (/Descriptions$/.test(k)) return {};
      if (/_LIST$/.test(k)) return [`${k}_VALUE`];
      if (/^[A-Z][A-Z0-9_]+$/.test(k)) return constant(k);
      return standIn(k);
    },
    apply: async () => {
      if (/^findAll|^findAndCountAll/.test(name)) return [];
      if (name === "count") return 0;
      if (name === "loadConfigObjects") return { configObjects: [], errors: [] };
      return null;
    },
  });
}
function constant(name) {
  // `CONSTANTS.A.B`: every member another constant, read as its own name where a value is used
  return new Proxy(
    {},
    {
      get: (_t, k) => {
        if (k === Symbol.toPrimitive) return () => name;
        if (k === "toString" || k === "valueOf") return () => name;
        if (typeof k === "symbol" || k === "then") return undefined;
        if (k === "length") return name.length;
        if (typeof String.prototype[k] === "function") return String.prototype[k].bind(name);
        return constant(`${name}.${k}`);
      },
    }
  );
}
module.exports.standIn = standIn("module");

const forced = new Set((process.env.SCHEMASENSE_STAND_INS || "").split(",").filter(Boolean));

(function stubMissing() {
  const original = Module._resolveFilename;
  const stubbed = new Set();
  Module._resolveFilename = function (request, parent, ...rest) {
    const from = (parent && parent.filename) || "";
    if (!forced.has(request) || from.includes("/node_modules/")) {
      try {
        return original.call(this, request, parent, ...rest);
      } catch (error) {
        if (from.includes("/node_modules/") || request.endsWith(".node")) throw error;
      }
    }
    if (!stubbed.has(request)) {
      stubbed.add(request);
      process.stderr.write(`stand-in for ${request}\n`);
    }
    // a real file (jiti reads what it resolves): exports the inert stand-in above
    const key = path.join(os.tmpdir(), `schemasense-stand-in-${request.replace(/[^\w]+/g, "_")}.js`);
    fs.writeFileSync(key, `module.exports = require(${JSON.stringify(__filename)}).standIn;\n`);
    return key;
  };
})();
