/**
 * The DICOM edge of Myoflow: C-STORE/C-ECHO SCP, the durable spool, study completeness, series to volume
 * conversion, the producer of {@code myoflow.study.received}, and the DICOM writers (SEG, SR, SC) with the C-STORE SCU
 * that returns results to a PACS. Every DICOM toolkit call (PixelMed) lives in this module.
 */
package org.myoflow.dicom;
