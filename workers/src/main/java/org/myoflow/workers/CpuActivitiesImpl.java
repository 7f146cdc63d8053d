package org.myoflow.workers;

import io.temporal.failure.ApplicationFailure;
import org.myoflow.model.io.Nifti;
import org.myoflow.model.metrics.LvCavity;
import org.myoflow.model.metrics.WallThickness;
import org.myoflow.model.io.NiftiDataType;
import org.myoflow.model.postprocess.Postprocessor;
import org.myoflow.model.postprocess.VolumeCalibration;
import org.myoflow.model.preprocess.PreprocessRecord;
import org.myoflow.model.preprocess.Preprocessor;
import org.myoflow.model.registry.ModelManifest;
import org.myoflow.model.registry.ModelRegistry;
import org.myoflow.model.volume.BinaryMask;
import org.myoflow.model.volume.Volume;
import org.myoflow.workflows.events.SeriesReceived;
import org.myoflow.workflows.segmentation.CpuActivities;
import org.myoflow.workflows.segmentation.MaskResult;
import org.myoflow.workflows.segmentation.NetworkOutput;
import org.myoflow.workflows.segmentation.PreparedInput;
import org.myoflow.workflows.segmentation.SegmentationRequest;
import org.myoflow.workflows.segmentation.SegmentationWorkflowImpl;
import org.myoflow.workflows.events.VolumeCorrection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Preprocessing and postprocessing with the model version's own configuration (its manifest) and, when one was fitted,
 * its volume calibration.
 */
public final class CpuActivitiesImpl implements CpuActivities {
    private static final Logger log = LoggerFactory.getLogger(CpuActivitiesImpl.class);
    /** Modalities the network was made for, best first. */
    private static final List<String> PREFERRED = List.of("NM", "PT", "MR", "CT");

    private final Path root;
    private final ModelRegistry registry;
    private final CameraResolutions cameras;

    public CpuActivitiesImpl(Path storageRoot) {
        this(storageRoot, CameraResolutions.UNKNOWN);
    }

    /** @param cameras the senders' reconstructed resolutions, for the volume calibration */
    public CpuActivitiesImpl(Path storageRoot, CameraResolutions cameras) {
        this.root = storageRoot;
        this.registry = new ModelRegistry(storageRoot);
        this.cameras = cameras;
    }

    /** {@code studies/<study>/r<N>/myoflow-<model>/}, relative to the storage root. */
    public static String workDir(SegmentationRequest r) {
        return "studies/" + r.study().studyInstanceUid() + "/r" + r.study().revision() + "/myoflow-"
                + r.modelVersion();
    }

    @Override
    public PreparedInput preprocess(SegmentationRequest request) {
        String study = request.study().studyInstanceUid();
        Optional<SeriesReceived> chosen = request.study().series().stream()
                .filter(s -> s.volumePath() != null)
                .min(Comparator.comparingInt(s -> {
                    int i = PREFERRED.indexOf(s.modality());
                    return i < 0 ? PREFERRED.size() : i;
                }));
        if (chosen.isEmpty()) {
            StringBuilder why = new StringBuilder("no series of the study is a volume");
            request.study().series().forEach(s -> why.append("; ").append(s.modality()).append(' ')
                    .append(s.seriesInstanceUid()).append(": ")
                    .append(s.volumeError() == null ? "not an image series" : s.volumeError()));
            throw ApplicationFailure.newNonRetryableFailure(why.toString(), SegmentationWorkflowImpl.BAD_INPUT);
        }
        SeriesReceived s = chosen.get();
        try {
            ModelManifest m = registry.manifest(request.modelVersion());
            Volume source = Nifti.readVolume(root.resolve(s.volumePath()));
            Preprocessor.Preprocessed p = new Preprocessor(m.preprocessing()).apply(source);
            String dir = workDir(request);
            Files.createDirectories(root.resolve(dir));
            String input = dir + "/input.nii.gz";
            String record = dir + "/preprocess.json";
            Nifti.write(root.resolve(input), p.input(), NiftiDataType.FLOAT32);
            Files.write(root.resolve(record), WorkerJson.MAPPER.writeValueAsBytes(p.record()));
            log.info("event=preprocessed study={} series={} modality={} dims={}", study, s.seriesInstanceUid(),
                    s.modality(), source.grid().shapeString());
            return new PreparedInput(s.seriesInstanceUid(), s.modality(), dir, s.volumePath(), input, record,
                    request.study().callingAeTitle());
        } catch (IllegalArgumentException e) {
            throw ApplicationFailure.newNonRetryableFailure("cannot preprocess series " + s.seriesInstanceUid()
                    + ": " + e.getMessage(), SegmentationWorkflowImpl.BAD_INPUT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public MaskResult postprocess(PreparedInput input, NetworkOutput output) {
        try {
            ModelManifest m = registry.manifest(output.modelVersion());
            PreprocessRecord record = WorkerJson.MAPPER.readValue(root.resolve(input.recordPath()).toFile(),
                    PreprocessRecord.class);
            Volume onNetworkGrid = Nifti.readVolume(root.resolve(output.probabilitiesPath()));
            Volume probabilities = Preprocessor.probabilitiesToOriginal(onNetworkGrid, record);
            Postprocessor post = new Postprocessor(m.postprocessing());
            BinaryMask mask = post.clean(probabilities.threshold((float) post.config().threshold()));
            // the mask must lie exactly on the source grid the SEG will reference
            Volume source = Nifti.readVolume(root.resolve(input.sourceVolumePath()));
            BinaryMask onSource = new BinaryMask(source.grid(), mask.data());
            Optional<VolumeCalibration> calibration = registry.calibration(output.modelVersion());
            VolumeCorrection applied = null;
            if (calibration.isPresent()) {
                Double cameraFwhmMm = cameras.forCallingAe(input.callingAeTitle());
                VolumeCalibration.Calibrated c = calibration.get().apply(source, onSource, cameraFwhmMm);
                onSource = c.mask();
                VolumeCalibration.Correction k = c.correction();
                applied = new VolumeCorrection(k.fit(), k.cameraFwhmMm(), k.ratio(), k.clamped(), k.mlBefore());
                log.info("event=volume_calibrated series={} callingAe={} cameraFwhmMm={} fit={} ratio={} clamped={} "
                                + "mlBefore={} mlAfter={}", input.seriesInstanceUid(), input.callingAeTitle(),
                        k.cameraFwhmMm() == null ? "unused" : k.cameraFwhmMm(), k.fit(),
                        String.format("%.3f", k.ratio()), k.clamped(), String.format("%.1f", k.mlBefore()),
                        String.format("%.1f", k.mlAfter()));
            } else {
                log.warn("event=volume_uncalibrated series={} model={} reason=\"no {} for this model version\"",
                        input.seriesInstanceUid(), output.modelVersion(), VolumeCalibration.FILE);
            }
            String path = input.workDir() + "/mask.nii.gz";
            Nifti.write(root.resolve(path), onSource);
            String probabilitiesPath = input.workDir() + "/probabilities.nii.gz";
            Nifti.write(root.resolve(probabilitiesPath), new Volume(source.grid(), probabilities.data()),
                    NiftiDataType.FLOAT32);
            BinaryMask cavity = LvCavity.fromMyocardium(onSource);
            String cavityPath = input.workDir() + "/lv-cavity.nii.gz";
            Nifti.write(root.resolve(cavityPath), cavity);
            log.info("event=postprocessed series={} voxels={} myocardiumMl={} cavityMl={}",
                    input.seriesInstanceUid(), onSource.count(), String.format("%.1f", onSource.volumeMl()),
                    String.format("%.1f", cavity.volumeMl()));
            return new MaskResult(path, onSource.count(), onSource.volumeMl(), probabilitiesPath, cavityPath,
                    cavity.volumeMl(), WallThickness.meanMm(onSource, cavity), applied);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
