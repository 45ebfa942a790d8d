package org.graft.evaluation.internal;

import org.apache.sling.commons.mime.MimeTypeService;
import org.osgi.framework.ServiceReference;

/** Apache Sling's MIME type service: types registered at run time (registerMimeType) live only in memory. */
final class MimeSubject implements Subject {
    private static final String MARKER = "application/x-graft-evaluation";

    @Override
    public String filter() {
        return "(objectClass=" + MimeTypeService.class.getName() + ")";
    }

    @Override
    public boolean matches(ServiceReference<?> reference) {
        return true;
    }

    @Override
    public void call(Object service) {
        if (!"text/html".equals(((MimeTypeService) service).getMimeType("page.html"))) {
            throw new IllegalStateException("page.html is not text/html");
        }
    }

    @Override
    public void mark(Object service) {
        ((MimeTypeService) service).registerMimeType(MARKER, "graft-evaluation");
    }

    @Override
    public boolean kept(Object service) {
        return MARKER.equals(((MimeTypeService) service).getMimeType("notes.graft-evaluation"));
    }
}
