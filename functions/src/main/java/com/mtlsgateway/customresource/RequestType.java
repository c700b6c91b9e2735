package com.mtlsgateway.customresource;

/** The {@code RequestType} of a CloudFormation custom resource request; constants are spelled as CloudFormation sends them. */
public enum RequestType {
  Create,
  Update,
  Delete
}
