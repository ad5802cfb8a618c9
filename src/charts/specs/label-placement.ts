/**
 * Spread labels along one axis so none overlap: positions (0…1 of the axis) move apart to at least
 * `minGap`, each as little as possible, order kept. Used for direct labels at the ends of lines.
 */
export function spreadPositions(positions: readonly number[], minGap: number): number[] {
  const order = positions.map((position, index) => ({ position, index })).sort((a, b) => a.position - b.position);
  const placed = order.map((entry) => entry.position);
  for (let pass = 0; pass < 2; pass++) {
    for (let index = 1; index < placed.length; index++) {
      placed[index] = Math.max(placed[index]!, placed[index - 1]! + minGap);
    }
    // Labels pushed past the top come back down as a block, keeping their spacing.
    const top = 1.02;
    for (let index = placed.length - 1; index >= 0; index--) {
      const ceiling = index === placed.length - 1 ? top : placed[index + 1]! - minGap;
      placed[index] = Math.min(placed[index]!, ceiling);
    }
  }
  const result = new Array<number>(positions.length);
  order.forEach((entry, rank) => {
    result[entry.index] = placed[rank]!;
  });
  return result;
}
