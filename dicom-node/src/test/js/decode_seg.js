// Decodes a binary DICOM SEG with dcmjs (the library OHIF's SEG support uses) onto a voxel grid given by its NIfTI
// affine: each frame is placed by its own Plane Position (Patient), never by frame order.
// usage: node decode_seg.js SEG.dcm SEGMENT NX NY NZ a00 a01 a02 a03 a10 ... a23
//   (SEGMENT 0 merges all segments; row-major 3x4 voxel-to-RAS affine)
// prints one JSON line: {"frames": n, "voxels": [flat x + nx*(y + ny*z) indices, sorted], "offGrid": count}
const fs = require("fs");
const dcmjs = require("dcmjs");

const [file, segmentArg, ...nums] = process.argv.slice(2);
const segment = Number(segmentArg);
const [nx, ny, nz] = nums.slice(0, 3).map(Number);
const a = nums.slice(3).map(Number);
const buf = fs.readFileSync(file);
const data = dcmjs.data.DicomMessage.readFile(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
const ds = dcmjs.data.DicomMetaDictionary.naturalizeDataset(data.dict);
const items = (s) => (s === undefined ? [] : Array.isArray(s) ? s : [s]);
if (ds.SegmentationType !== "BINARY") throw new Error("not a BINARY SEG: " + ds.SegmentationType);
const rows = ds.Rows, cols = ds.Columns, frames = Number(ds.NumberOfFrames);
const packed = new Uint8Array(items(ds.PixelData)[0]);
const bits = dcmjs.data.BitArray.unpack(packed);
const shared = items(ds.SharedFunctionalGroupsSequence)[0] || {};
const perFrame = items(ds.PerFrameFunctionalGroupsSequence);
const group = (f, name) => items((perFrame[f] || {})[name])[0] || items(shared[name])[0];

// invert the 3x4 affine (voxel -> RAS)
const m = [[a[0], a[1], a[2]], [a[4], a[5], a[6]], [a[8], a[9], a[10]]];
const t = [a[3], a[7], a[11]];
const det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
  + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
const inv = [
  [(m[1][1] * m[2][2] - m[1][2] * m[2][1]) / det, (m[0][2] * m[2][1] - m[0][1] * m[2][2]) / det,
    (m[0][1] * m[1][2] - m[0][2] * m[1][1]) / det],
  [(m[1][2] * m[2][0] - m[1][0] * m[2][2]) / det, (m[0][0] * m[2][2] - m[0][2] * m[2][0]) / det,
    (m[0][2] * m[1][0] - m[0][0] * m[1][2]) / det],
  [(m[1][0] * m[2][1] - m[1][1] * m[2][0]) / det, (m[0][1] * m[2][0] - m[0][0] * m[2][1]) / det,
    (m[0][0] * m[1][1] - m[0][1] * m[1][0]) / det],
];
const voxels = new Set();
let offGrid = 0;
for (let f = 0; f < frames; f++) {
  const ident = items((perFrame[f] || {}).SegmentIdentificationSequence)[0];
  if (segment > 0 && Number(ident.ReferencedSegmentNumber) !== segment) continue;
  const ipp = group(f, "PlanePositionSequence").ImagePositionPatient.map(Number);
  const iop = group(f, "PlaneOrientationSequence").ImageOrientationPatient.map(Number);
  const sp = group(f, "PixelMeasuresSequence").PixelSpacing.map(Number);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      if (!bits[f * rows * cols + r * cols + c]) continue;
      const lps = [0, 1, 2].map((k) => ipp[k] + c * sp[1] * iop[k] + r * sp[0] * iop[3 + k]);
      const ras = [-lps[0] - t[0], -lps[1] - t[1], lps[2] - t[2]];
      const ijk = inv.map((row) => row[0] * ras[0] + row[1] * ras[1] + row[2] * ras[2]);
      const [i, j, k] = ijk.map(Math.round);
      if (ijk.some((v, n) => Math.abs(v - [i, j, k][n]) > 0.01) || i < 0 || j < 0 || k < 0 || i >= nx || j >= ny
        || k >= nz) {
        offGrid++;
        continue;
      }
      voxels.add(i + nx * (j + ny * k));
    }
  }
}
console.log(JSON.stringify({ frames, voxels: [...voxels].sort((x, y) => x - y), offGrid }));
