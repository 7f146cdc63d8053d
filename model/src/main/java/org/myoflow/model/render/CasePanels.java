package org.myoflow.model.render;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.myoflow.model.volume.BinaryMask;
import org.myoflow.model.volume.Grid;
import org.myoflow.model.volume.Volume;

/**
 * A picture of one case for people: columns are the image, then each mask drawn in colour over it (e.g. ground
 * truth, raw prediction, postprocessed); rows are the three orthogonal planes through a centre voxel. Pixels are
 * scaled to the voxel spacing so anatomy keeps its proportions.
 */
public final class CasePanels {
    private static final int CELL = 200;
    private static final int TITLE = 22;
    private static final Color[] COLOURS = {new Color(0, 220, 80), new Color(255, 70, 60), new Color(255, 200, 0),
        new Color(60, 160, 255)};

    private CasePanels() {
    }

    /** A mask and the column title it is shown under. */
    public record Panel(String title, BinaryMask mask) {
    }

    /**
     * Writes the PNG. {@code centre} is the voxel the three planes pass through (typically the ground truth's
     * centroid); null means the grid centre.
     */
    public static void write(Path png, String caption, Volume image, List<Panel> panels, int[] centre)
            throws IOException {
        Grid g = image.grid();
        int[] c = centre != null ? centre : new int[] {g.nx() / 2, g.ny() / 2, g.nz() / 2};
        float lo = 0;
        float hi = percentile(image.data(), 0.999);
        int cols = 1 + panels.size();
        BufferedImage out = new BufferedImage(cols * CELL, TITLE + 3 * CELL + TITLE, BufferedImage.TYPE_INT_RGB);
        Graphics2D gfx = out.createGraphics();
        gfx.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        gfx.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        gfx.setColor(Color.WHITE);
        gfx.drawString("image", 6, 16);
        for (int p = 0; p < panels.size(); p++) {
            gfx.setColor(COLOURS[p % COLOURS.length]);
            gfx.drawString(panels.get(p).title(), (p + 1) * CELL + 6, 16);
        }
        gfx.setColor(Color.LIGHT_GRAY);
        gfx.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        gfx.drawString(caption, 6, TITLE + 3 * CELL + 16);
        for (int plane = 0; plane < 3; plane++) {
            for (int col = 0; col < cols; col++) {
                BinaryMask mask = col == 0 ? null : panels.get(col - 1).mask();
                Color colour = col == 0 ? null : COLOURS[(col - 1) % COLOURS.length];
                BufferedImage slice = slice(image, mask, colour, plane, c, lo, hi);
                gfx.drawImage(slice, col * CELL, TITLE + plane * CELL, CELL, CELL, null);
            }
        }
        gfx.dispose();
        Files.createDirectories(png.toAbsolutePath().getParent());
        ImageIO.write(out, "png", png.toFile());
    }

    /** plane 0: axial (x-y at z), 1: coronal (x-z at y), 2: sagittal (y-z at x); z drawn upwards. */
    static BufferedImage slice(Volume image, BinaryMask mask, Color colour, int plane, int[] c, float lo, float hi) {
        Grid g = image.grid();
        double[] sp = g.spacing();
        int w, h;
        double pw, ph;
        switch (plane) {
            case 0 -> { w = g.nx(); h = g.ny(); pw = sp[0]; ph = sp[1]; }
            case 1 -> { w = g.nx(); h = g.nz(); pw = sp[0]; ph = sp[2]; }
            default -> { w = g.ny(); h = g.nz(); pw = sp[1]; ph = sp[2]; }
        }
        // square canvas with physical aspect
        double extent = Math.max(w * pw, h * ph);
        int size = CELL;
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        for (int py = 0; py < size; py++) {
            for (int px = 0; px < size; px++) {
                double mmX = (px + 0.5) / size * extent - (extent - w * pw) / 2;
                double mmY = (py + 0.5) / size * extent - (extent - h * ph) / 2;
                int a = (int) Math.floor(mmX / pw);
                int b = (int) Math.floor(mmY / ph);
                if (a < 0 || b < 0 || a >= w || b >= h) {
                    continue;
                }
                int row = plane == 0 ? b : h - 1 - b; // z up for coronal and sagittal
                int x, y, z;
                switch (plane) {
                    case 0 -> { x = a; y = row; z = c[2]; }
                    case 1 -> { x = a; y = c[1]; z = row; }
                    default -> { x = c[0]; y = a; z = row; }
                }
                float v = image.get(x, y, z);
                int grey = (int) Math.max(0, Math.min(255, (v - lo) / (hi - lo + 1e-9f) * 255));
                int r = grey, gg = grey, bb = grey;
                if (mask != null && mask.get(x, y, z)) {
                    r = (int) (0.45 * grey + 0.55 * colour.getRed());
                    gg = (int) (0.45 * grey + 0.55 * colour.getGreen());
                    bb = (int) (0.45 * grey + 0.55 * colour.getBlue());
                }
                img.setRGB(px, py, (r << 16) | (gg << 8) | bb);
            }
        }
        return img;
    }

    static float percentile(float[] data, double q) {
        float[] sorted = data.clone();
        java.util.Arrays.sort(sorted);
        return sorted[(int) Math.min(sorted.length - 1, Math.round(q * (sorted.length - 1)))];
    }
}
