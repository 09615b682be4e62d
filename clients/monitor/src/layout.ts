// A deterministic layout: tokens on concentric rings, oldest first, starting at 12 o'clock and going
// clockwise. Up to a ring's capacity a new token only moves the tokens of the outermost ring, so the
// picture stays calm while events arrive, and the same tokens always get the same places.

export interface Point {
  x: number;
  y: number;
}

export interface Layout {
  positions: Map<string, Point>;
  nodeRadius: number;
  /** Whether there is room for a label under every node. */
  labels: boolean;
}

const MIN_SPACING = 40;
const MIN_RING_GAP = 14;

export function ringLayout(ids: readonly string[], width: number, height: number): Layout {
  const positions = new Map<string, Point>();
  const cx = width / 2;
  const cy = height / 2;
  const n = ids.length;
  const maxRadius = Math.max(40, Math.min(width, height) / 2 - 36);
  if (n === 0) return { positions, nodeRadius: 14, labels: true };
  if (n === 1) {
    positions.set(ids[0], { x: cx, y: cy });
    return { positions, nodeRadius: 16, labels: true };
  }

  // How many rings: the fewest whose circumferences hold every token at MIN_SPACING (rings are evenly
  // spaced from the outer radius inwards), but never closer than MIN_RING_GAP. Past what fits, tokens
  // simply get smaller.
  let rings = 1;
  while (sum(capacityOf(rings, maxRadius, MIN_SPACING)) < n && maxRadius / (rings + 1) >= MIN_RING_GAP) rings++;
  const radii = Array.from({ length: rings }, (_, i) => (maxRadius * (rings - i)) / rings);
  // Share tokens between rings in proportion to their circumference, outer ring first.
  const circumference = radii.map((radius) => 2 * Math.PI * radius);
  const total = sum(circumference);
  const counts = circumference.map((c) => Math.floor((c * n) / total));
  let assigned = sum(counts);
  for (let i = 0; assigned < n; i = (i + 1) % rings) {
    counts[i] += 1;
    assigned += 1;
  }

  let index = 0;
  let closest = rings > 1 ? maxRadius / rings : Infinity;
  counts.forEach((count, ring) => {
    const radius = radii[ring];
    if (count > 1) closest = Math.min(closest, 2 * radius * Math.sin(Math.PI / count));
    // Stagger rings by half a step so spokes do not line up.
    const offset = ring % 2 === 0 ? 0 : Math.PI / Math.max(count, 1);
    for (let k = 0; k < count && index < n; k++, index++) {
      const angle = -Math.PI / 2 + offset + (2 * Math.PI * k) / count;
      positions.set(ids[index], { x: round(cx + radius * Math.cos(angle)), y: round(cy + radius * Math.sin(angle)) });
    }
  });

  const nodeRadius = Math.max(3, Math.min(16, closest / 3));
  return { positions, nodeRadius, labels: closest >= 56 && n <= 60 };
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function capacityOf(rings: number, maxRadius: number, spacing: number): number[] {
  return Array.from({ length: rings }, (_, i) => {
    const radius = (maxRadius * (rings - i)) / rings;
    return Math.max(1, Math.floor((2 * Math.PI * radius) / spacing));
  });
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

// Twelve colours that are easy to tell apart on white.
const PALETTE = [
  '#3b82c4', '#e8833a', '#d64550', '#2fa59a', '#4a9e3f', '#d9b52c',
  '#8e5cc2', '#e476a8', '#8a6a4f', '#5a6b8c', '#a3c940', '#38b6d9',
];

function hashOf(text: string): number {
  let hash = 2166136261;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 16777619);
  }
  return hash >>> 0;
}

/**
 * A colour per token type: each type's own palette slot (from a hash of its name), or the next free one
 * when another type shown has it, so up to twelve types never share a colour. Beyond twelve they do.
 */
export function typeColors(types: Iterable<string>): Map<string, string> {
  const sorted = [...new Set(types)].sort((a, b) => hashOf(a) % PALETTE.length - hashOf(b) % PALETTE.length || (a < b ? -1 : a > b ? 1 : 0));
  const taken = new Set<number>();
  const colors = new Map<string, string>();
  for (const type of sorted) {
    let slot = hashOf(type) % PALETTE.length;
    for (let i = 0; i < PALETTE.length && taken.has(slot); i++) slot = (slot + 1) % PALETTE.length;
    taken.add(slot);
    colors.set(type, PALETTE[slot]);
  }
  return colors;
}

export interface EdgeGeometry {
  d: string;
  /** Where a label or hit target could go: the curve's midpoint. */
  mid: Point;
}

/**
 * An edge as a gentle curve from the rim of one node to the rim of the other, bending to the left of its
 * direction: A→B and B→A bend apart instead of covering each other; `lane` (0, 1, …) separates several
 * edges with the same direction between the same tokens.
 */
export function edgePath(a: Point, b: Point, radius: number, lane: number): EdgeGeometry {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const length = Math.hypot(dx, dy) || 1;
  const bend = Math.min(length * 0.12, 28) * (1 + lane * 0.9);
  // Left-hand normal of the direction a → b.
  const nx = dy / length;
  const ny = -dx / length;
  const c = { x: (a.x + b.x) / 2 + nx * bend, y: (a.y + b.y) / 2 + ny * bend };
  const start = towards(a, c, radius);
  const end = towards(b, c, radius + 2);
  const mid = { x: round(0.25 * start.x + 0.5 * c.x + 0.25 * end.x), y: round(0.25 * start.y + 0.5 * c.y + 0.25 * end.y) };
  return { d: `M${start.x},${start.y} Q${round(c.x)},${round(c.y)} ${end.x},${end.y}`, mid };
}

function towards(from: Point, to: Point, distance: number): Point {
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  const length = Math.hypot(dx, dy) || 1;
  return { x: round(from.x + (dx / length) * distance), y: round(from.y + (dy / length) * distance) };
}
