import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.myoflow.model.io.Nifti;
import org.myoflow.model.metrics.WallProfile;
import org.myoflow.model.volume.BinaryMask;
import org.myoflow.model.volume.Volume;

/**
 * For bench/volume-floor.sh: per case saved by {@code myoflow evaluate --save}, the predicted and true volumes and the
 * predictors of the volume calibration ({@link WallProfile}). One CSV line per case: id, predicted ml, true ml,
 * predicted mean wall mm, voxel mm, profile...
 * Run: java -cp infra/target/myoflow.jar bench/WallProfiles.java SAVED_DIR OUT_CSV
 */
public class WallProfiles {
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
        StringBuilder r = new StringBuilder();
        r.append(wall.volumeMl()).append(',').append(truth.volumeMl());
        for (double f : WallProfile.measure(image, wall).features()) {
            r.append(',').append(f);
        }
        return r.toString();
    }
}
