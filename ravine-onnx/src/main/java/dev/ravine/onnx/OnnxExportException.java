package dev.ravine.onnx;

/** A model that cannot be written as ONNX, e.g. a layer with no ONNX equivalent; the message names the layer. */
public class OnnxExportException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OnnxExportException(String message) {
        super(message);
    }
}
