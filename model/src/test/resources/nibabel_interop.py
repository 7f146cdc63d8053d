"""nibabel side of the NIfTI interoperability tests (run with Debian's /usr/bin/python3).

  write DIR   writes one NIfTI per case into DIR, each with its reference voxels (<name>.f64, float64, x fastest)
              and a JSON manifest of what nibabel considers the affine.
  dump FILE OUT   loads FILE with nibabel, writes get_fdata() to OUT (float64, x fastest) and prints a JSON header.
"""
import json
import os
import sys

import nibabel as nib
import numpy as np


def oblique_affine(rng, left_handed=False, shear=False):
    q, _ = np.linalg.qr(rng.normal(size=(3, 3)))
    if np.linalg.det(q) < 0:
        q[:, 0] = -q[:, 0]
    zooms = rng.uniform(0.7, 6.5, size=3)
    m = q @ np.diag(zooms)
    if left_handed:
        m[:, 2] = -m[:, 2]
    if shear:
        m[:, 1] += 0.3 * m[:, 0]
    aff = np.eye(4)
    aff[:3, :3] = m
    aff[:3, 3] = rng.uniform(-200, 200, size=3)
    return aff


def write(out):
    rng = np.random.default_rng(20261123)
    shape = (7, 5, 4)
    cases = []

    def save(name, data, affine, dtype, qform_code=1, sform_code=1, slope=None, inter=None, big_endian=False):
        img = nib.Nifti1Image(data.astype(dtype), affine)
        hdr = img.header
        if big_endian:
            hdr = hdr.as_byteswapped('>')
            img = nib.Nifti1Image(data.astype(dtype), affine, header=hdr)
        img.set_qform(affine, code=qform_code)
        img.set_sform(affine, code=sform_code)
        if slope is not None:
            img.header.set_slope_inter(slope, inter)
        path = os.path.join(out, name)
        nib.save(img, path)
        back = nib.load(path)
        ref = np.asarray(back.get_fdata(dtype=np.float64))
        ref.ravel(order='F').astype('<f8').tofile(path + '.f64')
        cases.append({'file': name, 'affine': back.affine.tolist(), 'shape': list(ref.shape)})

    ints = rng.integers(0, 200, size=shape)
    signed = rng.integers(-30000, 30000, size=shape)
    floats = rng.normal(100, 40, size=shape)
    save('u8.nii', ints, oblique_affine(rng), np.uint8)
    save('i16.nii.gz', signed, oblique_affine(rng), np.int16)
    save('u16.nii', rng.integers(0, 65535, size=shape), oblique_affine(rng), np.uint16)
    save('i32.nii.gz', rng.integers(-2**31, 2**31 - 1, size=shape), oblique_affine(rng), np.int32)
    save('f32.nii.gz', floats, oblique_affine(rng), np.float32)
    save('f64.nii', floats, oblique_affine(rng, left_handed=True), np.float64)
    save('scaled_i16.nii', signed, oblique_affine(rng), np.int16, slope=0.25, inter=-12.5)
    save('qform_only.nii', floats, oblique_affine(rng, left_handed=True), np.float32, qform_code=1, sform_code=0)
    # sform preferred when both are set and they differ (here: sform has shear, qform cannot)
    save('sheared_sform.nii.gz', floats, oblique_affine(rng, shear=True), np.float32, qform_code=1, sform_code=2)
    save('no_codes.nii', ints, np.diag([2.5, 3.0, 4.0, 1.0]), np.int16, qform_code=0, sform_code=0)
    save('big_endian.nii', signed, oblique_affine(rng), np.int16, big_endian=True)
    with open(os.path.join(out, 'manifest.json'), 'w') as f:
        json.dump(cases, f)


def dump(path, out):
    img = nib.load(path)
    data = np.asarray(img.get_fdata(dtype=np.float64))
    data.ravel(order='F').astype('<f8').tofile(out)
    hdr = img.header
    print(json.dumps({
        'shape': list(data.shape),
        'affine': img.affine.tolist(),
        'qform': img.get_qform().tolist(),
        'qform_code': int(hdr['qform_code']),
        'sform_code': int(hdr['sform_code']),
        'dtype': str(hdr.get_data_dtype()),
    }))


if __name__ == '__main__':
    if sys.argv[1] == 'write':
        write(sys.argv[2])
    elif sys.argv[1] == 'dump':
        dump(sys.argv[2], sys.argv[3])
    else:
        sys.exit('unknown command ' + sys.argv[1])
