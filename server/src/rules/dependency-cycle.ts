import type { Range, StageDependency } from '../model/types';
import type { Rule } from './types';
import { stageKey } from './stages';

/** Range of an edge: both mentions when they share a line, else the depended-on mention. */
function edgeRange(edge: StageDependency): Range {
  const { from, to } = edge;
  if (from.range.start.line !== to.range.start.line) return to.range;
  const first = from.range.start.character <= to.range.start.character ? from : to;
  const last = first === from ? to : from;
  return { start: first.range.start, end: last.range.end };
}

/** Strongly connected components of a graph (Tarjan, iterative so deep graphs cannot overflow the stack). */
function components(nodes: string[], next: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const result: string[][] = [];
  let counter = 0;
  for (const root of nodes) {
    if (index.has(root)) continue;
    const work: { node: string; child: number }[] = [{ node: root, child: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const targets = next.get(frame.node) ?? [];
      if (frame.child < targets.length) {
        const target = targets[frame.child++];
        if (!index.has(target)) {
          index.set(target, counter);
          low.set(target, counter++);
          stack.push(target);
          onStack.add(target);
          work.push({ node: target, child: 0 });
        } else if (onStack.has(target)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(target)!));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.node)!));
      }
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        result.push(component);
      }
    }
  }
  return result;
}

/** A path inside a component from `start` back to `start`, by breadth-first search (shortest cycle through it). */
function cycleThrough(start: string, members: Set<string>, next: Map<string, string[]>): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i];
    for (const target of next.get(node) ?? []) {
      if (!members.has(target)) continue;
      if (target === start) {
        const path = [node];
        while (path[0] !== start) path.unshift(previous.get(path[0])!);
        return [...path, start];
      }
      if (!previous.has(target)) {
        previous.set(target, node);
        queue.push(target);
      }
    }
  }
  return [start, start];
}

/** Stages that depend on each other in a circle can never be started. */
export const dependencyCycle: Rule = {
  id: 'dependency-cycle',
  description: 'The stage dependencies form a cycle (a stage that depends, directly or not, on itself).',
  defaultSeverity: 'error',
  kinds: ['plan', 'design', 'tracker'],
  check(model, context) {
    const edges = model.stageDependencies.edges;
    if (edges.length === 0) return;
    const next = new Map<string, string[]>();
    const names = new Map<string, string>();
    const nodes: string[] = [];
    for (const edge of edges) {
      for (const end of [edge.from, edge.to]) {
        const key = stageKey(end);
        if (!names.has(key)) {
          names.set(key, `${end.label} ${end.number}`);
          nodes.push(key);
        }
      }
      const targets = next.get(stageKey(edge.from)) ?? [];
      if (!targets.includes(stageKey(edge.to))) targets.push(stageKey(edge.to));
      next.set(stageKey(edge.from), targets);
    }
    for (const component of components(nodes, next)) {
      const members = new Set(component);
      const selfLoop = component.length === 1 && (next.get(component[0]) ?? []).includes(component[0]);
      if (component.length === 1 && !selfLoop) continue;
      // Start from the member written first, so that the message follows the document.
      const start = nodes.find((node) => members.has(node))!;
      const path = cycleThrough(start, members, next);
      const pathEdges = new Set(path.slice(1).map((node, i) => `${path[i]}>${node}`));
      const edge = edges.find((candidate) => pathEdges.has(`${stageKey(candidate.from)}>${stageKey(candidate.to)}`))!;
      context.report({
        message: `Stage dependencies form a cycle: ${path.map((node) => names.get(node)).join(' -> ')} (each depends on the next).`,
        range: edgeRange(edge),
      });
    }
  },
};
