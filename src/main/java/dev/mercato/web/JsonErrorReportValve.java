package dev.mercato.web;

import java.io.IOException;
import java.io.Writer;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.HttpStatus;

/**
 * Tomcat refuses some requests before any filter runs (an encoded slash or a NUL byte in the path, a
 * malformed header). This valve answers those with the API's error body instead of Tomcat's HTML page.
 */
public class JsonErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        HttpStatus known = HttpStatus.resolve(status);
        String code = known == null ? "ERROR" : known.name();
        String message = known == null ? "The request failed." : known.getReasonPhrase() + ".";
        if (status >= 500) {
            code = "INTERNAL_ERROR";
            message = "An unexpected error occurred.";
        }
        try {
            if (response.getHeader(RequestIdFilter.HEADER) == null) {
                // No filter ran, so no id was given yet.
                response.setHeader(
                        RequestIdFilter.HEADER, RequestIdFilter.idFor(request.getHeader(RequestIdFilter.HEADER)));
            }
            response.setContentType("application/json");
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(
                        "{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message + "\",\"details\":\"\"}}");
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // The connection is gone or the response was taken over; nothing more can be sent.
        }
    }
}
