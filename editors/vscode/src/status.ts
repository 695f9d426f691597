// The status bar's counts: problems from schemasense's diagnostics, and drift (DB3xx codes).
// Plain data, so it is unit-tested with node:test.

export interface DiagnosticLike {
  severity: number; // vscode.DiagnosticSeverity: Error 0, Warning 1, Information 2, Hint 3
  code?: string | number | { value: string | number };
}

export interface Counts {
  errors: number;
  warnings: number;
  infos: number;
  drift: number;
  files: number;
}

export function codeOf(diagnostic: DiagnosticLike): string {
  const code = diagnostic.code;
  if (code === undefined) {
    return "";
  }
  return String(typeof code === "object" ? code.value : code);
}

/** Drift between models, migrations and DTOs: the DB3xx codes (DESIGN.md). */
export function isDrift(diagnostic: DiagnosticLike): boolean {
  return /^DB3\d\d$/.test(codeOf(diagnostic));
}

export function count(perFile: Iterable<readonly DiagnosticLike[]>): Counts {
  const counts: Counts = { errors: 0, warnings: 0, infos: 0, drift: 0, files: 0 };
  for (const diagnostics of perFile) {
    if (diagnostics.length > 0) {
      counts.files += 1;
    }
    for (const d of diagnostics) {
      if (d.severity === 0) counts.errors += 1;
      else if (d.severity === 1) counts.warnings += 1;
      else counts.infos += 1;
      if (isDrift(d)) counts.drift += 1;
    }
  }
  return counts;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** The status bar item's text and tooltip. */
export function describe(counts: Counts): { text: string; tooltip: string } {
  const problems = counts.errors + counts.warnings + counts.infos;
  const icon = counts.errors > 0 ? "$(error)" : problems > 0 ? "$(warning)" : "$(check)";
  let text = `${icon} schemasense: ${plural(problems, "problem")}`;
  if (counts.drift > 0) {
    text += `, ${counts.drift} drift`;
  }
  const tooltip =
    `schemasense: ${plural(counts.errors, "error")}, ${plural(counts.warnings, "warning")}, ` +
    `${counts.infos} info in ${plural(counts.files, "file")}; ` +
    `drift (DB3xx): ${counts.drift}. Click to open the Problems panel.`;
  return { text, tooltip };
}
