/**
 * The value Terraform gives a string of its JSON configuration that holds no interpolation: its
 * template escapes `$${` and `%%{` read as `${` and `%{`. An unescaped `${` or `%{` is an
 * interpolation or directive, which a literal must not contain: that throws, naming where.
 */
export function terraformStringValue(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const two = text.slice(i, i + 3);
    if (two === "$${" || two === "%%{") {
      out += `${text[i]}{`;
      i += 2;
    } else if ((text[i] === "$" || text[i] === "%") && text[i + 1] === "{") {
      throw new Error(`an unescaped ${text[i]}{ at offset ${i}: Terraform would read "${text.slice(i, i + 40)}" as a template`);
    } else {
      out += text[i];
    }
  }
  return out;
}
