package org.myoflow.infra.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.myoflow.dicom.simulator.CtStackWriter;
import org.myoflow.dicom.simulator.NmReconTomoWriter;
import org.myoflow.dicom.simulator.StudyIdentity;
import org.myoflow.model.image.Resampler;
import org.myoflow.model.phantom.PhantomOptions;
import org.myoflow.model.phantom.SpectPhantom;
import org.myoflow.model.volume.Volume;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The scanner simulator: writes a phantom study as DICOM files (for storescu, benchmarks and demos). */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Write a synthetic SPECT phantom study as DICOM: NM multi-frame RECON TOMO or a CT stack.")
public final class SimulateCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, description = "Directory for the files.")
    Path out;

    @Option(names = "--seed", defaultValue = "1", description = "Phantom and UID seed.")
    long seed;

    @Option(names = "--modality", defaultValue = "NM", description = "NM (one multi-frame) or CT (single frames).")
    String modality;

    @Option(names = "--matrix", description = "Resample in-plane to N x N (e.g. 512 for CT-sized frames).")
    Integer matrix;

    @Option(names = "--slices", description = "Resample to this many slices.")
    Integer slices;

    @Option(names = "--studies", defaultValue = "1",
            description = "Write this many studies (seeds seed, seed+1, ...), each in its own subdirectory s<k>.")
    int studies;

    @Override
    public Integer call() throws Exception {
        if (studies > 1) {
            Path base = out;
            for (int k = 0; k < studies; k++) {
                out = base.resolve("s" + k);
                write(seed + k);
            }
            return 0;
        }
        write(seed);
        return 0;
    }

    private void write(long seed) throws Exception {
        Volume v = SpectPhantom.generate("sim" + seed, seed, PhantomOptions.normal()).image();
        if (matrix != null || slices != null) {
            v = Resampler.trilinear(v, matrix != null ? matrix : v.grid().nx(), matrix != null ? matrix
                    : v.grid().ny(), slices != null ? slices : v.grid().nz());
        }
        Files.createDirectories(out);
        StudyIdentity id = StudyIdentity.forSeed(seed);
        switch (modality.toUpperCase()) {
            case "NM" -> NmReconTomoWriter.write(v, id, 1, out.resolve("nm-" + seed + ".dcm"));
            case "CT" -> {
                List<Path> files = CtStackWriter.write(v, id, 2, 100, out);
                System.out.println(files.size() + " CT instances");
            }
            default -> throw new IllegalArgumentException("modality must be NM or CT: " + modality);
        }
        System.out.println("study " + id.studyInstanceUid() + " written to " + out);
    }
}
