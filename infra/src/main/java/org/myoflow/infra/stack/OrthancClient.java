package org.myoflow.infra.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Orthanc's REST API, for whatever runs it (the process we start, or a container). */
public final class OrthancClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** @param base e.g. {@code http://127.0.0.1:8042} */
    public OrthancClient(String base) {
        this.base = base;
    }

    public JsonNode get(String path) throws IOException, InterruptedException {
        return JSON.readTree(download(path));
    }

    public byte[] download(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30)).build());
    }

    /** One retry on a connection the server closed under the pool (a stale keep-alive), then the error. */
    private byte[] send(HttpRequest rq) throws IOException, InterruptedException {
        IOException last = null;
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                HttpResponse<byte[]> r = http.send(rq, HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() != 200) {
                    throw new IOException(rq.method() + " " + rq.uri().getPath() + " -> " + r.statusCode());
                }
                return r.body();
            } catch (java.net.ConnectException e) {
                throw e;
            } catch (IOException e) {
                last = e;
            }
        }
        throw last;
    }

    /** Orthanc ids of the instances stored with this SOP Instance UID (normally zero or one). */
    public List<String> findInstances(String sopInstanceUid) throws IOException, InterruptedException {
        HttpRequest rq = HttpRequest.newBuilder(URI.create(base + "/tools/find"))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(
                        "{\"Level\":\"Instance\",\"Query\":{\"SOPInstanceUID\":\"" + sopInstanceUid + "\"}}"))
                .build();
        List<String> ids = new ArrayList<>();
        JSON.readTree(send(rq)).forEach(n -> ids.add(n.asText()));
        return ids;
    }

    /** Orthanc ids of every SEG instance stored in the study. */
    public List<String> segInstancesOfStudy(String studyInstanceUid) throws IOException, InterruptedException {
        return instancesOfStudy(studyInstanceUid, "SEG");
    }

    /** Orthanc ids of the study's instances in series of this modality. */
    public List<String> instancesOfStudy(String studyInstanceUid, String modality)
            throws IOException, InterruptedException {
        HttpRequest rq = HttpRequest.newBuilder(URI.create(base + "/tools/find"))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(
                        "{\"Level\":\"Instance\",\"Query\":{\"StudyInstanceUID\":\"" + studyInstanceUid
                                + "\",\"Modality\":\"" + modality + "\"}}")).build();
        List<String> ids = new ArrayList<>();
        JSON.readTree(send(rq)).forEach(n -> ids.add(n.asText()));
        return ids;
    }

}
