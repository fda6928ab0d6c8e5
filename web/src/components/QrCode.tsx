// A QR code drawn as SVG from the `qrcode` library's module matrix (ADR 027): computed in
// the browser, offline, with no image request and no HTML injected.
import { create } from 'qrcode';

const QUIET = 4; // modules of white border the standard asks for

export function QrCode({ value, size = 224, label }: { value: string; size?: number; label: string }) {
  const { modules } = create(value, { errorCorrectionLevel: 'M' });
  const n = modules.size;
  let d = '';
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) if (modules.get(y, x)) d += `M${x + QUIET} ${y + QUIET}h1v1h-1z`;
  }
  const side = n + 2 * QUIET;
  return (
    <svg role="img" aria-label={label} width={size} height={size} viewBox={`0 0 ${side} ${side}`} shapeRendering="crispEdges" data-testid="tablet-qr">
      <rect width={side} height={side} fill="#fff" />
      <path d={d} fill="#000" />
    </svg>
  );
}
