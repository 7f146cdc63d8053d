package org.myoflow.workflows.segmentation;

import java.util.List;

/** The SEG as written (relative path) and the destinations that stored it. */
public record ExportResult(String segPath, String segSopInstanceUid, String segSeriesInstanceUid, int frames,
                           List<String> destinations) {
}
