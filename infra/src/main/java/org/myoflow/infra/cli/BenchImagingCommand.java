package org.myoflow.infra.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.myoflow.model.image.GaussianFilter;
import org.myoflow.model.image.Morphology;
import org.myoflow.model.image.Resampler;
import org.myoflow.model.io.Nifti;
import org.myoflow.model.io.NiftiDataType;
import org.myoflow.model.phantom.PhantomCase;
import org.myoflow.model.phantom.PhantomOptions;
import org.myoflow.model.phantom.SpectPhantom;
import org.myoflow.model.postprocess.PostprocessConfig;
import org.myoflow.model.postprocess.Postprocessor;
import org.myoflow.model.preprocess.PreprocessConfig;
import org.myoflow.model.preprocess.Preprocessor;
import org.myoflow.model.segment.ThresholdShellSegmenter;
import org.myoflow.model.volume.BinaryMask;
import org.myoflow.model.volume.Volume;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Times resampling and each postprocessing step on a 64x64x56 case, and writes the inputs and outputs so that
 * {@code bench/imaging_reference.py} can time scipy/skimage on the very same data and check the results agree.
 */
@Command(name = "bench-imaging", mixinStandardHelpOptions = true,
        description = "Benchmark resampling and postprocessing (writes inputs, outputs and timings to --work).")
public final class BenchImagingCommand implements Callable<Integer> {

    @Option(names = "--work", required = true, description = "Folder for inputs, outputs and java.json.")
    Path work;

    @Option(names = "--reps", defaultValue = "50", description = "Timed repetitions per step (default ${DEFAULT-VALUE}).")
    int reps;

    @Option(names = "--warmup", defaultValue = "30", description = "Untimed repetitions first (default ${DEFAULT-VALUE}).")
    int warmup;

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(work);
        PhantomCase c = SpectPhantom.generate("bench", 4242, PhantomOptions.normal());
        Volume original = c.image();
        Preprocessor.Preprocessed p = new Preprocessor(PreprocessConfig.defaults()).apply(original);
        Volume prob = ThresholdShellSegmenter.defaults().probabilities(p.input());
        Nifti.write(work.resolve("volume.nii.gz"), original, NiftiDataType.FLOAT32);
        Nifti.write(work.resolve("prob.nii.gz"), prob, NiftiDataType.FLOAT32);

        PostprocessConfig all = PostprocessConfig.all();
        BinaryMask thresholded = prob.threshold(0.5f);
        Map<String, Double> ms = new LinkedHashMap<>();
        ms.put("resample_trilinear", time(() -> Resampler.trilinear(original, 64, 64, 56)));
        ms.put("remove_small_objects", time(() -> Postprocessor.removeSmallObjects(thresholded, all.minObjectVoxels())));
        ms.put("largest_component", time(() -> Postprocessor.largestComponent(thresholded)));
        ms.put("fill_holes", time(() -> Morphology.fillHoles(thresholded)));
        ms.put("closing_ball1", time(() -> Morphology.close(thresholded, 1)));
        ms.put("median_3", time(() -> Morphology.median(thresholded, 1)));
        ms.put("gaussian_0.5", time(() -> GaussianFilter.smoothVoxels(thresholded.toVolume(), 0.5, 0.5, 0.5)));
        Postprocessor chain = new Postprocessor(all);
        ms.put("postprocess_chain", time(() -> chain.apply(prob)));

        Nifti.write(work.resolve("java_resampled.nii.gz"), Resampler.trilinear(original, 64, 64, 56),
                NiftiDataType.FLOAT32);
        Nifti.write(work.resolve("java_post.nii.gz"), chain.apply(prob));
        ObjectMapper json = new ObjectMapper();
        ObjectNode out = json.createObjectNode();
        out.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        out.put("input_shape", original.grid().shapeString());
        out.put("reps", reps);
        ObjectNode times = out.putObject("median_ms");
        ms.forEach(times::put);
        json.writerWithDefaultPrettyPrinter().writeValue(work.resolve("java.json").toFile(), out);
        System.out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(out));
        return 0;
    }

    private double time(Supplier<?> step) {
        return Timing.medianMillis(warmup, reps, step::get);
    }
}
