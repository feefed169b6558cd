/*
 * The layers of src/ (README, Layout), as the code has them: no import cycle (type imports included), and the pure
 * layers import no adapter (the lint rule in eslint.config.mjs says the same per import; this test sees the graph).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { expect } from 'chai';
import { ROOT } from './helpers/cli.js';

const SRC = join(ROOT, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** file → the files of src/ it imports (static, dynamic, re-exports; value and type imports alike). */
function importGraph(): Map<string, Array<{ to: string; typeOnly: boolean }>> {
  const files = sourceFiles(SRC);
  const graph = new Map<string, Array<{ to: string; typeOnly: boolean }>>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const edges = [
      ...[...text.matchAll(/^(?:import|export)\s+(type\s+)?[^;]*?from\s+'(\.[^']+)'/gms)].map((m) => ({
        spec: m[2],
        typeOnly: Boolean(m[1]),
      })),
      ...[...text.matchAll(/import\('(\.[^']+)'\)/g)].map((m) => ({ spec: m[1], typeOnly: false })),
    ];
    graph.set(
      file,
      edges
        .map((e) => ({ to: resolve(dirname(file), e.spec.replace(/\.js$/, '.ts')), typeOnly: e.typeOnly }))
        .filter((e) => files.includes(e.to)),
    );
  }
  return graph;
}

describe('architecture: the layers of src/', () => {
  const graph = importGraph();
  const name = (f: string): string => relative(SRC, f);

  it('has no import cycle', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (file: string): void => {
      state.set(file, 'open');
      stack.push(file);
      for (const { to } of graph.get(file) ?? []) {
        if (state.get(to) === 'open') cycles.push([...stack.slice(stack.indexOf(to)), to].map(name).join(' → '));
        else if (!state.has(to)) visit(to);
      }
      stack.pop();
      state.set(file, 'done');
    };
    for (const file of graph.keys()) if (!state.has(file)) visit(file);
    console.log(
      `      ${graph.size} modules, ${[...graph.values()].reduce((n, e) => n + e.length, 0)} imports: ${cycles.length} cycles`,
    );
    expect(cycles).to.deep.equal([]);
  });

  it('the pure layers (knowledge, doctor) import values only from the pure layers', () => {
    const layer = (f: string): string => name(f).split('/')[0];
    const wrong = [...graph.entries()].flatMap(([from, edges]) =>
      ['knowledge', 'doctor'].includes(layer(from))
        ? edges
            .filter((e) => !e.typeOnly && !['knowledge', 'doctor'].includes(layer(e.to)))
            .map((e) => `${name(from)} → ${name(e.to)}`)
        : [],
    );
    const knowledgeUp = [...graph.entries()].flatMap(([from, edges]) =>
      layer(from) === 'knowledge'
        ? edges.filter((e) => !e.typeOnly && layer(e.to) !== 'knowledge').map((e) => `${name(from)} → ${name(e.to)}`)
        : [],
    );
    expect(wrong).to.deep.equal([]);
    expect(knowledgeUp).to.deep.equal([]);
  });
});
