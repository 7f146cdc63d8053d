package org.myoflow.model.io;

import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;
import org.myoflow.model.volume.Affine;
import org.myoflow.model.volume.BinaryMask;
import org.myoflow.model.volume.Grid;
import org.myoflow.model.volume.Volume;

/**
 * NIfTI-1 single-file ({@code .nii}, {@code .nii.gz}) reading and writing of 3-D volumes.
 *
 * <p>Reading follows nibabel's choice of affine: the sform when {@code sform_code > 0}, else the qform when
 * {@code qform_code > 0}, else nibabel's fallback from {@code pixdim} (x flipped, centred on the grid). Both byte orders
 * are read; compressed input is recognised by its gzip magic, not its name. Writing is little-endian with sform and
 * qform both set (code 1, scanner) unless the affine has shear, which a quaternion cannot express (qform code 0).
 */
public final class Nifti {
    static final int HEADER_SIZE = 348;
    static final int VOX_OFFSET = 352;

    private Nifti() {
    }

    public static NiftiImage read(Path path) throws IOException {
        byte[] bytes;
        try {
            bytes = readMaybeGzipped(path);
        } catch (EOFException | ZipException e) {
            throw new NiftiFormatException(path + ": truncated or corrupt gzip stream (" + e.getMessage() + ")", e);
        }
        return parse(bytes, path.toString());
    }

    public static Volume readVolume(Path path) throws IOException {
        return read(path).volume();
    }

    public static BinaryMask readMask(Path path) throws IOException {
        return BinaryMask.fromLabels(read(path).volume());
    }

    private static byte[] readMaybeGzipped(Path path) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            byte[] head = in.readNBytes(2);
            boolean gz = head.length == 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
            if (!gz) {
                byte[] rest = in.readAllBytes();
                byte[] all = new byte[head.length + rest.length];
                System.arraycopy(head, 0, all, 0, head.length);
                System.arraycopy(rest, 0, all, head.length, rest.length);
                return all;
            }
        }
        try (InputStream in = new GZIPInputStream(Files.newInputStream(path), 1 << 16)) {
            return in.readAllBytes();
        }
    }

    static NiftiImage parse(byte[] bytes, String name) throws NiftiFormatException {
        if (bytes.length < HEADER_SIZE) {
            throw new NiftiFormatException(name + ": not a NIfTI-1 file (" + bytes.length + " bytes, a header needs 348)");
        }
        ByteBuffer h = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (h.getInt(0) != HEADER_SIZE) {
            h.order(ByteOrder.BIG_ENDIAN);
            if (h.getInt(0) != HEADER_SIZE) {
                int le = ByteBuffer.wrap(bytes, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
                throw new NiftiFormatException(name + ": not a NIfTI-1 file (sizeof_hdr is " + le
                        + (le == 540 ? ", which is NIfTI-2: not supported" : ", expected 348") + ")");
            }
        }
        String magic = new String(bytes, 344, 3, StandardCharsets.US_ASCII);
        if (magic.equals("ni1")) {
            throw new NiftiFormatException(name + ": a two-file NIfTI (.hdr/.img) header; only single-file .nii is read");
        }
        if (!magic.equals("n+1")) {
            throw new NiftiFormatException(name + ": not a NIfTI-1 file (magic '" + printable(magic) + "', expected 'n+1')");
        }
        int rank = h.getShort(40);
        if (rank < 1 || rank > 7) {
            throw new NiftiFormatException(name + ": invalid dim[0] = " + rank);
        }
        int[] dim = new int[8];
        for (int i = 1; i <= 7; i++) {
            dim[i] = i <= rank ? h.getShort(40 + 2 * i) : 1;
        }
        for (int i = 1; i <= 3; i++) {
            if (dim[i] < 1) {
                throw new NiftiFormatException(name + ": invalid dim[" + i + "] = " + dim[i]);
            }
        }
        for (int i = 4; i <= 7; i++) {
            if (dim[i] > 1) {
                throw new NiftiFormatException(name + ": " + rank + "-D image with dim[" + i + "] = " + dim[i]
                        + "; only 3-D volumes are supported");
            }
        }
        NiftiDataType type = NiftiDataType.fromCode(h.getShort(70));
        float[] pixdim = new float[8];
        for (int i = 0; i < 8; i++) {
            pixdim[i] = h.getFloat(76 + 4 * i);
        }
        long offset = (long) h.getFloat(108);
        if (offset < HEADER_SIZE) {
            throw new NiftiFormatException(name + ": vox_offset " + offset + " lies inside the header");
        }
        long nvox = (long) dim[1] * dim[2] * dim[3];
        long needed = offset + nvox * type.bytes();
        if (bytes.length < needed) {
            throw new NiftiFormatException(name + ": truncated: " + dim[1] + "x" + dim[2] + "x" + dim[3] + " "
                    + type.name().toLowerCase() + " needs " + needed + " bytes, the file has " + bytes.length);
        }
        double slope = h.getFloat(112);
        double inter = h.getFloat(116);
        if (slope == 0 || !Double.isFinite(slope)) {
            slope = 1;
            inter = 0;
        } else if (!Double.isFinite(inter)) {
            inter = 0;
        }
        int qformCode = h.getShort(252);
        int sformCode = h.getShort(254);
        Affine affine;
        String source;
        if (sformCode > 0) {
            double[] m = new double[12];
            for (int i = 0; i < 12; i++) {
                m[i] = h.getFloat(280 + 4 * i);
            }
            affine = new Affine(m);
            source = "sform";
        } else if (qformCode > 0) {
            affine = qformAffine(h, pixdim);
            source = "qform";
        } else {
            affine = pixdimAffine(dim, pixdim);
            source = "pixdim";
        }
        Grid grid = new Grid(dim[1], dim[2], dim[3], affine);
        float[] data = decode(ByteBuffer.wrap(bytes, (int) offset, (int) (nvox * type.bytes())).order(h.order()),
                type, (int) nvox, slope, inter);
        return new NiftiImage(new Volume(grid, data), type, qformCode, sformCode, source);
    }

    private static float[] decode(ByteBuffer b, NiftiDataType type, int n, double slope, double inter) {
        float[] out = new float[n];
        boolean scaled = slope != 1 || inter != 0;
        for (int i = 0; i < n; i++) {
            double v = switch (type) {
                case UINT8 -> b.get() & 0xff;
                case INT8 -> b.get();
                case INT16 -> b.getShort();
                case UINT16 -> b.getShort() & 0xffff;
                case INT32 -> b.getInt();
                case UINT32 -> b.getInt() & 0xffffffffL;
                case FLOAT32 -> b.getFloat();
                case FLOAT64 -> b.getDouble();
            };
            out[i] = (float) (scaled ? v * slope + inter : v);
        }
        return out;
    }

    /** The qform: rotation from the quaternion (b, c, d), scaled by pixdim, z negated when qfac is -1. */
    static Affine qformAffine(ByteBuffer h, float[] pixdim) {
        double b = h.getFloat(256), c = h.getFloat(260), d = h.getFloat(264);
        double qx = h.getFloat(268), qy = h.getFloat(272), qz = h.getFloat(276);
        double a2 = 1.0 - (b * b + c * c + d * d);
        double a;
        if (a2 < 1e-7) {
            // nibabel's fillpositive: treat as a 180-degree rotation, renormalising (b, c, d)
            double norm = Math.sqrt(b * b + c * c + d * d);
            b /= norm;
            c /= norm;
            d /= norm;
            a = 0;
        } else {
            a = Math.sqrt(a2);
        }
        double qfac = pixdim[0] < 0 ? -1 : 1;
        double[][] r = {
            {a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c)},
            {2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b)},
            {2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b}
        };
        double[] zoom = {pixdim[1], pixdim[2], pixdim[3] * qfac};
        double[] m = new double[12];
        for (int row = 0; row < 3; row++) {
            for (int col = 0; col < 3; col++) {
                m[row * 4 + col] = r[row][col] * zoom[col];
            }
        }
        m[3] = qx;
        m[7] = qy;
        m[11] = qz;
        return new Affine(m);
    }

    /** nibabel's {@code get_base_affine}: x flipped, origin at the grid centre. */
    static Affine pixdimAffine(int[] dim, float[] pixdim) {
        double[] z = {pixdim[1] == 0 ? 1 : pixdim[1], pixdim[2] == 0 ? 1 : pixdim[2], pixdim[3] == 0 ? 1 : pixdim[3]};
        double[] origin = {(dim[1] - 1) / 2.0, (dim[2] - 1) / 2.0, (dim[3] - 1) / 2.0};
        return new Affine(new double[] {
            -z[0], 0, 0, origin[0] * z[0],
            0, z[1], 0, -origin[1] * z[1],
            0, 0, z[2], -origin[2] * z[2]});
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (char ch : s.toCharArray()) {
            b.append(ch >= 32 && ch < 127 ? String.valueOf(ch) : String.format("\\x%02x", (int) ch));
        }
        return b.toString();
    }

    // ---------------------------------------------------------------------------------------------- writing

    public static void write(Path path, Volume volume, NiftiDataType type) throws IOException {
        write(path, volume, type, "myoflow");
    }

    public static void write(Path path, BinaryMask mask) throws IOException {
        write(path, mask.toVolume(), NiftiDataType.UINT8, "myoflow mask");
    }

    /**
     * Writes atomically: to a temporary sibling, fsynced, then renamed, so a reader never sees half a file.
     * Integer types are rounded and clamped.
     */
    public static void write(Path path, Volume volume, NiftiDataType type, String description) throws IOException {
        byte[] header = header(volume.grid(), type, description);
        Path tmp = path.resolveSibling(path.getFileName() + ".part");
        boolean gz = path.getFileName().toString().endsWith(".gz");
        try (OutputStream raw = Files.newOutputStream(tmp);
             OutputStream out = gz ? new GZIPOutputStream(raw, 1 << 16) : new BufferedOutputStream(raw, 1 << 16)) {
            out.write(header);
            out.write(new byte[VOX_OFFSET - HEADER_SIZE]);
            out.write(encode(volume.data(), type));
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static byte[] encode(float[] data, NiftiDataType type) {
        ByteBuffer b = ByteBuffer.allocate(data.length * type.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : data) {
            double v = type.fit(f);
            switch (type) {
                case UINT8, INT8 -> b.put((byte) (long) v);
                case INT16, UINT16 -> b.putShort((short) (long) v);
                case INT32, UINT32 -> b.putInt((int) (long) v);
                case FLOAT32 -> b.putFloat(f);
                case FLOAT64 -> b.putDouble(f);
            }
        }
        return b.array();
    }

    static byte[] header(Grid g, NiftiDataType type, String description) {
        ByteBuffer h = ByteBuffer.allocate(HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(0, HEADER_SIZE);
        h.put(38, (byte) 'r');
        short[] dim = {3, (short) g.nx(), (short) g.ny(), (short) g.nz(), 1, 1, 1, 1};
        if (g.nx() > Short.MAX_VALUE || g.ny() > Short.MAX_VALUE || g.nz() > Short.MAX_VALUE) {
            throw new IllegalArgumentException("NIfTI-1 dimensions are limited to 32767: " + g.shapeString());
        }
        for (int i = 0; i < 8; i++) {
            h.putShort(40 + 2 * i, dim[i]);
        }
        h.putShort(70, (short) type.code());
        h.putShort(72, (short) type.bitpix());
        Affine a = g.affine();
        double[] zoom = a.voxelSize();
        Quaternion q = Quaternion.fromAffine(a);
        h.putFloat(76, (float) (q == null ? 1 : q.qfac()));
        for (int i = 0; i < 3; i++) {
            h.putFloat(80 + 4 * i, (float) zoom[i]);
        }
        h.putFloat(108, VOX_OFFSET);
        h.putFloat(112, 1f);
        h.putFloat(116, 0f);
        h.put(123, (byte) (2 | 8)); // mm, s
        byte[] desc = description.getBytes(StandardCharsets.US_ASCII);
        h.put(148, desc, 0, Math.min(desc.length, 79));
        h.putShort(252, (short) (q == null ? 0 : 1));
        h.putShort(254, (short) 1);
        if (q != null) {
            h.putFloat(256, (float) q.b());
            h.putFloat(260, (float) q.c());
            h.putFloat(264, (float) q.d());
        }
        h.putFloat(268, (float) a.get(0, 3));
        h.putFloat(272, (float) a.get(1, 3));
        h.putFloat(276, (float) a.get(2, 3));
        for (int i = 0; i < 12; i++) {
            h.putFloat(280 + 4 * i, (float) a.get(i / 4, i % 4));
        }
        h.put(344, (byte) 'n').put(345, (byte) '+').put(346, (byte) '1').put(347, (byte) 0);
        return h.array();
    }

    /** Unit quaternion (a >= 0) of the rotation part of an affine, and qfac for a left-handed one. */
    record Quaternion(double b, double c, double d, double qfac) {

        /** Null when the affine has shear (columns not orthogonal), which a qform cannot represent. */
        static Quaternion fromAffine(Affine a) {
            double[] s = a.voxelSize();
            double[][] r = new double[3][3];
            for (int row = 0; row < 3; row++) {
                for (int col = 0; col < 3; col++) {
                    r[row][col] = a.get(row, col) / s[col];
                }
            }
            for (int i = 0; i < 3; i++) {
                for (int j = i + 1; j < 3; j++) {
                    double dot = r[0][i] * r[0][j] + r[1][i] * r[1][j] + r[2][i] * r[2][j];
                    if (Math.abs(dot) > 1e-5) {
                        return null;
                    }
                }
            }
            double qfac = 1;
            double det = r[0][0] * (r[1][1] * r[2][2] - r[1][2] * r[2][1])
                    - r[0][1] * (r[1][0] * r[2][2] - r[1][2] * r[2][0])
                    + r[0][2] * (r[1][0] * r[2][1] - r[1][1] * r[2][0]);
            if (det < 0) {
                qfac = -1;
                for (int row = 0; row < 3; row++) {
                    r[row][2] = -r[row][2];
                }
            }
            double qa, qb, qc, qd;
            double trace = r[0][0] + r[1][1] + r[2][2];
            if (trace > 0) {
                double t = Math.sqrt(trace + 1) * 2;
                qa = 0.25 * t;
                qb = (r[2][1] - r[1][2]) / t;
                qc = (r[0][2] - r[2][0]) / t;
                qd = (r[1][0] - r[0][1]) / t;
            } else if (r[0][0] > r[1][1] && r[0][0] > r[2][2]) {
                double t = Math.sqrt(1 + r[0][0] - r[1][1] - r[2][2]) * 2;
                qa = (r[2][1] - r[1][2]) / t;
                qb = 0.25 * t;
                qc = (r[0][1] + r[1][0]) / t;
                qd = (r[0][2] + r[2][0]) / t;
            } else if (r[1][1] > r[2][2]) {
                double t = Math.sqrt(1 + r[1][1] - r[0][0] - r[2][2]) * 2;
                qa = (r[0][2] - r[2][0]) / t;
                qb = (r[0][1] + r[1][0]) / t;
                qc = 0.25 * t;
                qd = (r[1][2] + r[2][1]) / t;
            } else {
                double t = Math.sqrt(1 + r[2][2] - r[0][0] - r[1][1]) * 2;
                qa = (r[1][0] - r[0][1]) / t;
                qb = (r[0][2] + r[2][0]) / t;
                qc = (r[1][2] + r[2][1]) / t;
                qd = 0.25 * t;
            }
            if (qa < 0) {
                qb = -qb;
                qc = -qc;
                qd = -qd;
            }
            return new Quaternion(qb, qc, qd, qfac);
        }
    }
}
