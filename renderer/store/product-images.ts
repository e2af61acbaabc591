/**
 * Each product's picture, an SVG under ./images named by product id, bundled by Vite as its own file (no-inline:
 * served from our origin, which the CSP's img-src 'self' allows). The seed's emoji (image_emoji) stays the fallback
 * for a product without a picture: emoji need a font with them, which many Linux desktops and CI machines lack.
 */
const pictures = import.meta.glob<string>('./images/*.svg', { eager: true, query: '?url&no-inline', import: 'default' });

export function productImage(productId: string): string | undefined {
  return pictures[`./images/${productId}.svg`];
}
