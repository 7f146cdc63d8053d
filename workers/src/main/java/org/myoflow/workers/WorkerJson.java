package org.myoflow.workers;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.myoflow.workflows.events.EventJson;

/** One JSON mapper for the files workers leave under the storage root (the events' mapper: records, ISO times). */
final class WorkerJson {
    static final ObjectMapper MAPPER = EventJson.MAPPER;

    private WorkerJson() {
    }
}
