// The scene seen from above, as pure arithmetic: the world's metres
// (+X right, +Y up, -Z ahead of an unturned listener) drawn on a plane whose
// x is the world's X and whose y (down the screen) is the world's Z, so what
// is ahead of an unturned listener is up the screen.

/** Where a world position [x, y, z] is drawn: {x, y} in view units (metres). */
export function toView([x, , z]) {
  return { x, y: z };
}

/** The world position under a view point, keeping the height `y` of the thing moved. */
export function fromView(point, y = 0) {
  return [point.x, y, point.y];
}

/** A position moved by `dx` metres right and `ahead` metres ahead (towards -Z), on the ground plane. */
export function nudge([x, y, z], dx, ahead) {
  return [x + dx, y, z - ahead];
}

/** `position` held inside the square `range` metres from the centre each way. */
export function clampTo([x, y, z], range) {
  const hold = (v) => Math.min(Math.max(v, -range), range);
  return [hold(x), y, hold(z)];
}

/**
 * The SVG rotation (degrees, clockwise on screen) that turns an arrow drawn
 * pointing up the screen to face where a listener with this yaw looks: yaw
 * turns left (anticlockwise seen from above), and seen from above that is
 * anticlockwise on the screen too.
 */
export function arrowRotation(yaw) {
  return -yaw;
}

/** Where a new spatial track goes: `distance` metres from `around`, the `n`th one a little further round. */
export function placeNew(around, n, distance = 3) {
  const angle = ((n * 50) % 360) * (Math.PI / 180);
  const [x, y, z] = around;
  return [round(x + distance * Math.sin(angle)), y, round(z - distance * Math.cos(angle))];
}

/** Metres to the centimetre, as the panel shows and sends them. */
export function round(metres) {
  return Math.round(metres * 100) / 100;
}

/** A distance for people: "3.2 m", "–" when there is none. */
export function formatMetres(metres) {
  return Number.isFinite(metres) ? `${metres.toFixed(1)} m` : '–';
}
