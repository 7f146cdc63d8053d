/**
 * Activity implementations grouped by task queue ({@code myoflow-cpu}, {@code myoflow-gpu}, {@code myoflow-io});
 * each is a thin adapter over {@code model} or {@code dicom-node}.
 */
package org.myoflow.workers;
