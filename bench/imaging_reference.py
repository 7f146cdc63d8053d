"""scipy/skimage reference for `myoflow bench-imaging`: the same steps on the same files, timed the same way
(untimed warm-up, then the median of timed repetitions), and a check that the results agree with Java's.

usage: /usr/bin/python3 bench/imaging_reference.py WORK_DIR REPS
"""
import json
import os
import sys
import time

import nibabel as nib
import numpy as np
from scipy import ndimage as ndi
from skimage import morphology, transform

work, reps = sys.argv[1], int(sys.argv[2])
volume = np.asarray(nib.load(os.path.join(work, 'volume.nii.gz')).dataobj, dtype=np.float32)
prob = np.asarray(nib.load(os.path.join(work, 'prob.nii.gz')).dataobj, dtype=np.float32)
full = np.ones((3, 3, 3), bool)  # 26-connectivity
ball1 = morphology.ball(1).astype(bool)


def resample():
    return transform.resize(volume, (64, 64, 56), order=1, mode='edge', anti_aliasing=False, preserve_range=True)


def remove_small(m):
    return morphology.remove_small_objects(m, min_size=20, connectivity=3)


def largest(m):
    lab, n = ndi.label(m, structure=full)
    if n == 0:
        return m
    sizes = np.bincount(lab.ravel())
    sizes[0] = 0
    return lab == sizes.argmax()


def closing(m):
    return morphology.binary_closing(m, ball1)


def median(m):
    return ndi.median_filter(m.astype(np.uint8), size=3, mode='reflect').astype(bool)


def gauss(m):
    return ndi.gaussian_filter(m.astype(np.float32), 0.5)


def chain(p):
    m = p >= 0.5
    m = remove_small(m)
    m = largest(m)
    m = ndi.binary_fill_holes(m)
    m = closing(m)
    m = median(m)
    return gauss(m) >= 0.5


def timed(fn, *args):
    for _ in range(5):
        fn(*args)
    t = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn(*args)
        t.append((time.perf_counter() - t0) * 1000)
    return float(np.median(t))


thresholded = prob >= 0.5
ms = {
    'resample_trilinear': timed(resample),
    'remove_small_objects': timed(remove_small, thresholded),
    'largest_component': timed(largest, thresholded),
    'fill_holes': timed(ndi.binary_fill_holes, thresholded),
    'closing_ball1': timed(closing, thresholded),
    'median_3': timed(median, thresholded),
    'gaussian_0.5': timed(gauss, thresholded),
    'postprocess_chain': timed(chain, prob),
}
java_resampled = np.asarray(nib.load(os.path.join(work, 'java_resampled.nii.gz')).dataobj, dtype=np.float32)
java_post = np.asarray(nib.load(os.path.join(work, 'java_post.nii.gz')).dataobj) > 0
ref_post = chain(prob)
import scipy
import skimage
print(json.dumps({
    'python': sys.version.split()[0], 'numpy': np.__version__, 'scipy': scipy.__version__,
    'skimage': skimage.__version__,
    'median_ms': ms,
    'resample_max_abs_diff': float(np.abs(resample() - java_resampled).max()),
    'resample_max_value': float(volume.max()),
    'postprocess_voxels_differing': int((ref_post != java_post).sum()),
    'postprocess_voxels_set': int(ref_post.sum()),
}, indent=2))
