import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * The fonts a PDF uses unless `pdf.font` / `pdf.boldFont` say otherwise: DejaVu Sans covers Latin,
 * Greek and Cyrillic (Turkish, Polish, German, French, Russian, …), which the 14 standard PDF
 * fonts do not. `dejavu-fonts-ttf` has no exports map, so its files resolve by path.
 */
export const bundledFontPaths = Object.freeze({
  regular: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  bold: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
});
