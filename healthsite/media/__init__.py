"""Pictures and videos: what they are, how they are made ready to publish, and the checks
editors hear about. Between content and site: it reads documents, the site model holds its plan."""
