// "Send a photo": the page draws a picture (a screen with an error dialog, as people photograph them)
// and sends it as a JPEG, so the photo the bot and the Mini App show is a real image.

const ERRORS = [
  ['Printer offline', 'The printer "HP LaserJet 400" is not responding.'],
  ['No network', 'Cannot reach \\\\fileserver\\shared. Check the cable.'],
  ['1C:Enterprise', 'Licence not found. Contact your administrator.'],
  ['Outlook', 'Cannot connect to the server. Working offline.'],
] as const;

export async function drawPhoto(author: string): Promise<Blob> {
  const canvas = document.createElement('canvas');
  canvas.width = 960;
  canvas.height = 720;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('No 2D canvas in this browser');
  const hue = Math.floor(Math.random() * 360);

  const wall = ctx.createLinearGradient(0, 0, 0, canvas.height);
  wall.addColorStop(0, `hsl(${hue} 35% 78%)`);
  wall.addColorStop(1, `hsl(${(hue + 40) % 360} 30% 55%)`);
  ctx.fillStyle = wall;
  ctx.fillRect(0, 0, canvas.width, canvas.height);

  // The monitor and its screen.
  ctx.fillStyle = '#222';
  ctx.fillRect(130, 90, 700, 440);
  ctx.fillRect(430, 530, 100, 60);
  ctx.fillRect(330, 590, 300, 24);
  const screen = ctx.createLinearGradient(150, 110, 810, 510);
  screen.addColorStop(0, '#1e5aa8');
  screen.addColorStop(1, '#3d8fd6');
  ctx.fillStyle = screen;
  ctx.fillRect(150, 110, 660, 400);

  // The error dialog.
  const [title, text] = ERRORS[Math.floor(Math.random() * ERRORS.length)] ?? ERRORS[0];
  ctx.fillStyle = '#f3f3f3';
  ctx.fillRect(250, 200, 460, 200);
  ctx.fillStyle = '#c62828';
  ctx.fillRect(250, 200, 460, 40);
  ctx.fillStyle = '#fff';
  ctx.font = 'bold 22px sans-serif';
  ctx.fillText(`⚠ ${title}`, 265, 228);
  ctx.fillStyle = '#222';
  ctx.font = '18px sans-serif';
  wrap(ctx, text, 270, 280, 420, 24);
  ctx.fillStyle = '#ddd';
  ctx.fillRect(590, 350, 100, 34);
  ctx.fillStyle = '#222';
  ctx.fillText('OK', 625, 373);

  ctx.fillStyle = 'rgba(0,0,0,0.55)';
  ctx.fillRect(0, canvas.height - 50, canvas.width, 50);
  ctx.fillStyle = '#fff';
  ctx.font = '18px sans-serif';
  ctx.fillText(`📷 ${author} · ${new Date().toLocaleString()}`, 20, canvas.height - 18);

  return new Promise((resolve, reject) =>
    canvas.toBlob(
      (blob) => (blob ? resolve(blob) : reject(new Error('Could not draw the photo'))),
      'image/jpeg',
      0.85,
    ),
  );
}

function wrap(
  ctx: CanvasRenderingContext2D,
  text: string,
  x: number,
  y: number,
  width: number,
  line: number,
) {
  let row = '';
  let top = y;
  for (const word of text.split(' ')) {
    const next = row ? `${row} ${word}` : word;
    if (ctx.measureText(next).width > width && row) {
      ctx.fillText(row, x, top);
      row = word;
      top += line;
    } else row = next;
  }
  if (row) ctx.fillText(row, x, top);
}
