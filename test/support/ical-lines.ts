/**
 * Reads iCalendar content lines as RFC 5545 §3.1 defines them (no parser package is
 * installed): unfolds, then splits each line into its name, its parameters (a quoted-string
 * value is taken whole, `;` `:` `,` inside it included) and its value.
 */
export interface ContentLine {
  name: string;
  params: Record<string, string>;
  value: string;
}

export function contentLines(ics: string): ContentLine[] {
  const unfolded = ics.replace(/\r\n[ \t]/g, '');
  if (!unfolded.endsWith('\r\n')) throw new Error('content lines end with CRLF');
  return unfolded
    .slice(0, -2)
    .split('\r\n')
    .map((line) => {
      const name = /^[A-Za-z0-9-]+/.exec(line)?.[0];
      if (!name) throw new Error(`no property name: ${JSON.stringify(line)}`);
      let i = name.length;
      const params: Record<string, string> = {};
      while (line[i] === ';') {
        const pname = /^[A-Za-z0-9-]+/.exec(line.slice(i + 1))?.[0];
        if (!pname || line[i + 1 + pname.length] !== '=') throw new Error(`bad parameter: ${line}`);
        i += 2 + pname.length;
        let value: string;
        if (line[i] === '"') {
          const end = line.indexOf('"', i + 1);
          if (end < 0) throw new Error(`unterminated quoted parameter: ${line}`);
          value = line.slice(i + 1, end);
          i = end + 1;
        } else {
          const m = /^[^";:,]*/.exec(line.slice(i))![0];
          value = m;
          i += m.length;
        }
        if (line[i] !== ';' && line[i] !== ':') throw new Error(`bad parameter value: ${line}`);
        params[pname.toUpperCase()] = value;
      }
      if (line[i] !== ':') throw new Error(`no value: ${line}`);
      return { name: name.toUpperCase(), params, value: line.slice(i + 1) };
    });
}

/** The one line with this name (throws if there is not exactly one). */
export function property(ics: string, name: string): ContentLine {
  const found = contentLines(ics).filter((l) => l.name === name);
  if (found.length !== 1) throw new Error(`${found.length} ${name} lines`);
  return found[0];
}

/** The .ics of a message as the fake Postmark stored it. */
export const icsOf = (m: { Attachments: { Content: string }[] }): string =>
  Buffer.from(m.Attachments[0].Content, 'base64').toString('utf8');
