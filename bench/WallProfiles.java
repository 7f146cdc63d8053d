import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.myoflow.model.image.DistanceTransform;
import org.myoflow.model.io.Nifti;
import org.myoflow.model.metrics.LvCavity;
import org.myoflow.model.metrics.WallThickness;
import org.myoflow.model.volume.BinaryMask;
import org.myoflow.model.volume.Grid;
import org.myoflow.model.volume.Volume;

/**
 * For bench/volume-floor.sh: per case saved by {@code myoflow evaluate --save}, the image's mean intensity pooled over
 * the whole heart as a function of distance from the predicted wall (wall by depth in 1 mm bins, cavity and outside by
 * distance in 1.5 mm bins up to 21 mm, all relative to the wall's mean), with the predicted and true volumes. One CSV
 * line per case: id, predicted ml, true ml, predicted mean wall mm, voxel mm, profile...
 * Run: java -cp infra/target/myoflow.jar bench/WallProfiles.java SAVED_DIR OUT_CSV
 */
public class WallProfiles {
    static final int WALL_BINS = 6;
    static final int RING_BINS = 14;
    static final double RING_MM = 1.5;

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        List<Path> images;
        try (Stream<Path> s = Files.list(dir)) {
            images = s.filter(p -> p.toString().endsWith("_image.nii.gz")).sorted().toList();
        }
        List<String> lines = new ArrayList<>();
        for (Path ip : images) {
            String id = ip.getFileName().toString().replace("_image.nii.gz", "");
            Volume image = Nifti.readVolume(ip);
            BinaryMask wall = Nifti.readMask(dir.resolve(id + "_mask.nii.gz"));
            BinaryMask truth = Nifti.readMask(dir.resolve(id + "_truth.nii.gz"));
            lines.add(id + "," + row(image, wall, truth));
        }
        Files.write(Path.of(args[1]), lines);
    }

    static String row(Volume image, BinaryMask wall, BinaryMask truth) {
        Grid g = wall.grid();
        double[] s = g.spacing();
        BinaryMask cavity = LvCavity.fromMyocardium(wall);
        boolean[] w = wall.data();
        boolean[] notWall = new boolean[w.length];
        for (int i = 0; i < w.length; i++) {
            notWall[i] = !w[i];
        }
        double[] toWall = DistanceTransform.squaredDistanceTo(w, g, s[0], s[1], s[2]);
        double[] toOutside = DistanceTransform.squaredDistanceTo(notWall, g, s[0], s[1], s[2]);
        int bins = WALL_BINS + 2 * RING_BINS;
        double[] sum = new double[bins];
        int[] n = new int[bins];
        float[] im = image.data();
        double wallSum = 0;
        for (int i = 0; i < w.length; i++) {
            int b;
            if (w[i]) {
                double depth = Math.sqrt(toOutside[i]) - Math.min(s[0], Math.min(s[1], s[2]));
                b = Math.max(0, Math.min(WALL_BINS - 1, (int) depth));
                wallSum += im[i];
            } else {
                int k = (int) (Math.sqrt(toWall[i]) / RING_MM);
                if (k >= RING_BINS) {
                    continue;
                }
                b = WALL_BINS + (cavity.data()[i] ? 0 : RING_BINS) + k;
            }
            sum[b] += im[i];
            n[b]++;
        }
        double wallMean = wallSum / Math.max(1, wall.count());
        StringBuilder r = new StringBuilder();
        r.append(wall.volumeMl()).append(',').append(truth.volumeMl()).append(',')
                .append(WallThickness.meanMm(wall, cavity)).append(',').append(Math.cbrt(s[0] * s[1] * s[2]));
        for (int b = 0; b < bins; b++) {
            r.append(',').append(n[b] == 0 ? 0 : sum[b] / n[b] / wallMean);
        }
        return r.toString();
    }
}
