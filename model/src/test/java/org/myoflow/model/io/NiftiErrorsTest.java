package org.myoflow.model.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myoflow.model.volume.Grid;
import org.myoflow.model.volume.Volume;

class NiftiErrorsTest {

    private static Volume sample() {
        Grid g = Grid.of(4, 3, 2, 1.5, 2, 3);
        float[] d = new float[g.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = i;
        }
        return new Volume(g, d);
    }

    @Test
    void truncatedVoxelDataIsReportedWithSizes(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("a.nii");
        Nifti.write(f, sample(), NiftiDataType.INT16);
        byte[] all = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(all, all.length - 5));
        NiftiFormatException e = assertThrows(NiftiFormatException.class, () -> Nifti.read(f));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertTrue(e.getMessage().contains(String.valueOf(all.length)), e.getMessage());
    }

    @Test
    void truncatedGzipIsReported(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("a.nii.gz");
        Nifti.write(f, sample(), NiftiDataType.FLOAT32);
        byte[] all = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(all, all.length / 2));
        NiftiFormatException e = assertThrows(NiftiFormatException.class, () -> Nifti.read(f));
        assertTrue(e.getMessage().contains("gzip"), e.getMessage());
    }

    @Test
    void nonNiftiInputIsRefused(@TempDir Path dir) throws Exception {
        Path text = dir.resolve("notes.nii");
        Files.writeString(text, "this is not an image");
        assertTrue(assertThrows(NiftiFormatException.class, () -> Nifti.read(text)).getMessage()
                .contains("not a NIfTI-1 file"));
        Path garbage = dir.resolve("garbage.nii");
        byte[] g = new byte[400];
        Arrays.fill(g, (byte) 7);
        Files.write(garbage, g);
        assertTrue(assertThrows(NiftiFormatException.class, () -> Nifti.read(garbage)).getMessage()
                .contains("sizeof_hdr"));
    }

    @Test
    void wrongMagicAndFourDAreRefused(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("a.nii");
        Nifti.write(f, sample(), NiftiDataType.UINT8);
        byte[] b = Files.readAllBytes(f);
        b[344] = 'x';
        Files.write(f, b);
        assertTrue(assertThrows(NiftiFormatException.class, () -> Nifti.read(f)).getMessage().contains("magic"));

        Nifti.write(f, sample(), NiftiDataType.UINT8);
        b = Files.readAllBytes(f);
        ByteBuffer h = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        h.putShort(40, (short) 4).putShort(48, (short) 3);
        Files.write(f, b);
        assertTrue(assertThrows(NiftiFormatException.class, () -> Nifti.read(f)).getMessage().contains("3-D"));
    }

    @Test
    void gzipIsRecognisedByContentNotName(@TempDir Path dir) throws Exception {
        Path plain = dir.resolve("a.nii");
        Nifti.write(plain, sample(), NiftiDataType.FLOAT32);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(buf)) {
            gz.write(Files.readAllBytes(plain));
        }
        Path misnamed = dir.resolve("b.nii");
        Files.write(misnamed, buf.toByteArray());
        assertArrayEquals(sample().data(), Nifti.read(misnamed).volume().data());
    }

    @Test
    void integerTypesRoundAndClamp(@TempDir Path dir) throws Exception {
        Grid g = Grid.of(4, 1, 1, 1, 1, 1);
        Path f = dir.resolve("c.nii");
        Nifti.write(f, new Volume(g, new float[] {-3.6f, 2.5f, 254.6f, 999f}), NiftiDataType.UINT8);
        assertArrayEquals(new float[] {0, 2, 255, 255}, Nifti.read(f).volume().data());
        assertEquals(NiftiDataType.UINT8, Nifti.read(f).dataType());
    }
}
