"""Decode a DICOM SEG independently (pydicom + nibabel) onto the grid of a reference NIfTI mask.

Each frame is placed by its own Plane Position (Patient) and the shared orientation, never by frame order, and its
source reference is checked against the source files given. Prints one JSON line: frames, Dice against the
reference mask, voxels that differ, and frames whose source reference does not lie at the frame's position.
usage: decode_seg.py [--segment=N] SEG.dcm MASK.nii.gz [SOURCE.dcm ...]   (all segments merged unless N is given)
"""
import json
import sys

import nibabel as nib
import numpy as np
import pydicom


def main():
    args = sys.argv[1:]
    segment = None
    if args[0].startswith("--segment="):
        segment = int(args.pop(0).split("=")[1])
    seg = pydicom.dcmread(args[0])
    ref = nib.load(args[1])
    truth = np.asarray(ref.dataobj) > 0
    inv = np.linalg.inv(ref.affine)
    rows, cols, n = int(seg.Rows), int(seg.Columns), int(seg.NumberOfFrames)
    if seg.SegmentationType == "BINARY":
        bits = np.unpackbits(np.frombuffer(seg.PixelData, dtype=np.uint8), bitorder="little")
        frames = bits[: rows * cols * n].reshape(n, rows, cols).astype(bool)
    else:
        values = np.frombuffer(seg.PixelData, dtype=np.uint8)[: rows * cols * n].reshape(n, rows, cols)
        frames = values >= (int(seg.MaximumFractionalValue) + 1) // 2
    shared = seg.SharedFunctionalGroupsSequence[0]
    iop = [float(v) for v in shared.PlaneOrientationSequence[0].ImageOrientationPatient]
    spacing = [float(v) for v in shared.PixelMeasuresSequence[0].PixelSpacing]
    row_dir, col_dir = np.array(iop[:3]), np.array(iop[3:])
    decoded = np.zeros_like(truth)
    sources = {}
    for path in args[2:]:
        ds = pydicom.dcmread(path, stop_before_pixels=True)
        sources[ds.SOPInstanceUID] = ds
    bad_refs = 0
    for f in range(n):
        pf = seg.PerFrameFunctionalGroupsSequence[f]
        if segment is not None and int(pf.SegmentIdentificationSequence[0].ReferencedSegmentNumber) != segment:
            continue
        ipp = np.array([float(v) for v in pf.PlanePositionSequence[0].ImagePositionPatient])
        r, c = np.nonzero(frames[f])
        lps = ipp[None, :] + c[:, None] * spacing[1] * row_dir + r[:, None] * spacing[0] * col_dir
        ras = np.column_stack([-lps[:, 0], -lps[:, 1], lps[:, 2], np.ones(len(r))])
        ijk = np.rint((inv @ ras.T)[:3]).astype(int)
        decoded[ijk[0], ijk[1], ijk[2]] = True
        src = pf.DerivationImageSequence[0].SourceImageSequence[0]
        ds = sources.get(src.ReferencedSOPInstanceUID)
        if sources and ds is None:
            bad_refs += 1
        elif ds is not None and "ImagePositionPatient" in ds and int(ds.get("NumberOfFrames", 1)) == 1:
            if np.abs(np.array([float(v) for v in ds.ImagePositionPatient]) - ipp).max() > 0.01:
                bad_refs += 1
    inter = np.logical_and(decoded, truth).sum()
    total = decoded.sum() + truth.sum()
    print(json.dumps({"frames": n, "dice": 1.0 if total == 0 else 2.0 * inter / total,
                      "differing": int(np.logical_xor(decoded, truth).sum()), "badReferences": bad_refs}))


if __name__ == "__main__":
    main()
