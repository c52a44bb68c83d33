/**
 * Lines of CloudFormation resources in a template's text, so that findings can point at the line
 * that declares a resource. JSON.parse keeps no positions; this scanner walks the (already parsed,
 * hence valid) text once and records where each key directly under `Resources` appears.
 */
export function resourceLines(text: string): Map<string, number> {
  const found = new Map<string, number>();
  const stack: Array<{ object: boolean; expectKey: boolean; key?: string }> = [];
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') {
      line++;
    } else if (c === '"') {
      const startLine = line;
      let j = i + 1;
      while (j < text.length && text[j] !== '"') {
        if (text[j] === '\\') j++;
        else if (text[j] === '\n') line++;
        j++;
      }
      const top = stack[stack.length - 1];
      if (top?.object && top.expectKey) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        top.key = key;
        top.expectKey = false;
        if (stack.length === 2 && stack[0].key === 'Resources' && !found.has(key)) found.set(key, startLine);
      }
      i = j;
    } else if (c === '{' || c === '[') {
      stack.push({ object: c === '{', expectKey: c === '{' });
    } else if (c === '}' || c === ']') {
      stack.pop();
    } else if (c === ',') {
      const top = stack[stack.length - 1];
      if (top?.object) top.expectKey = true;
    }
  }
  return found;
}
