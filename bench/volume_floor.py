"""What a volume correction could reach: the U-Net's myocardial volume error against what the image and an oracle know.

For bench/volume-floor.sh. Inputs: the CSVs of bench/WallProfiles.java and the `myoflow evaluate` listings (which
print each phantom's true wall and PSF) for a calibration set (training-range phantoms the model never saw) and the
fixed held-out set. Each row of the table fits log(true / predicted volume) on the calibration set by ridge regression
(standardised predictors, lambda 3), scores it by 5-fold cross-validation there and once on the held-out set, as the
mean absolute volume error after the correction.
"""
import sys

import numpy as np

LAMBDA = 3.0


def read_csv(path, first_unseen):
    ids, rows = [], []
    for line in open(path):
        f = line.strip().split(",")
        if f[0].startswith("train_") and int(f[0].split("_")[1]) < first_unseen:
            continue
        ids.append(f[0])
        rows.append([float(v) for v in f[1:]])
    return ids, np.array(rows)


def read_params(path):
    out = {}
    for line in open(path):
        f = line.split()
        if f and (f[0].startswith("train_") or f[0].startswith("heldout_")):
            out[f[0]] = (float(f[-2]), float(f[-1]))
    return out


def ridge(x, y):
    mu, sd = x.mean(0), x.std(0) + 1e-12
    z = (x - mu) / sd
    w = np.linalg.solve(z.T @ z + LAMBDA * np.eye(z.shape[1]), z.T @ (y - y.mean()))
    return lambda xn: ((xn - mu) / sd) @ w + y.mean()


def vol_error(pred_log_ratio, y):
    return 100 * np.abs(np.exp(pred_log_ratio - y) - 1).mean()


def cross_validated(x, y, folds=5):
    idx = np.arange(len(y))
    out = np.empty(len(y))
    for k in range(folds):
        test = idx % folds == k
        out[test] = ridge(x[~test], y[~test])(x[test])
    return out


def main(cal_csv, cal_txt, held_csv, held_txt, first_unseen):
    cid, c = read_csv(cal_csv, first_unseen)
    hid, h = read_csv(held_csv, 0)
    par = read_params(cal_txt) | read_params(held_txt)
    yc, yh = np.log(c[:, 1] / c[:, 0]), np.log(h[:, 1] / h[:, 0])
    wall_c = np.array([par[i][0] for i in cid]); wall_h = np.array([par[i][0] for i in hid])
    psf_c = np.array([par[i][1] for i in cid]); psf_h = np.array([par[i][1] for i in hid])
    prof_c, prof_h = c[:, 2:], h[:, 2:]
    keep = prof_c.std(0) > 1e-9
    prof_c, prof_h = prof_c[:, keep], prof_h[:, keep]

    print(f"Calibration set: {len(yc)} training-range phantoms the model never saw; held-out: {len(yh)}.\n")
    print("| volume correction from | calibration: mean abs vol err (5-fold CV) | held-out: mean abs vol err | wall thickness RMSE, CV (mm) |")
    print("|---|---:|---:|---:|")
    print(f"| none (the U-Net's own mask) | {vol_error(0, yc):.1f} % | {vol_error(0, yh):.1f} % | "
          f"{wall_c.std():.2f} (the wall's spread) |")
    rows = [
        ("a constant (the U-Net's mean bias)", np.zeros((len(yc), 0)), np.zeros((len(yh), 0))),
        ("the pooled wall profile (image only)", prof_c, prof_h),
        ("the pooled wall profile + the camera's true PSF", np.c_[prof_c, psf_c], np.c_[prof_h, psf_h]),
        ("oracle: the true wall thickness", wall_c[:, None], wall_h[:, None]),
        ("oracle: the true wall thickness and PSF", np.c_[wall_c, psf_c], np.c_[wall_h, psf_h]),
    ]
    for name, xc, xh in rows:
        cv = cross_validated(xc, yc)
        held = ridge(xc, yc)(xh)
        wall_rmse = np.sqrt(((cross_validated(xc, wall_c) - wall_c) ** 2).mean())
        wall_text = f"{wall_rmse:.2f}" if not name.startswith("oracle") else "(given)"
        print(f"| {name} | {vol_error(cv, yc):.1f} % | {vol_error(held, yh):.1f} % | {wall_text} |")
    signed = 100 * (np.exp(-yc) - 1)
    print(f"\nThe U-Net's signed volume error on the calibration set: mean {signed.mean():+.1f} %, sd {signed.std():.1f} %.")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]))
