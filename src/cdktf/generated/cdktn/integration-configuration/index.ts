// GENERATED FILE: do not edit. Made by scripts/generate-cdktf-bindings.ts from schemas/terraform-provider-schema.json (npm run generate:cdktf).
// @ts-nocheck
// https://registry.terraform.io/providers/m3ter-com/m3ter/latest/docs/resources/integration_configuration
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktf from 'cdktn';

// Configuration

export interface IntegrationConfigurationConfig extends cdktf.TerraformMetaArguments {
  /**
  * Extra settings; each map value is a JSON-encoded string (use jsonencode). Filled from the create response when unset; never refreshed on read.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/m3ter-com/m3ter/latest/docs/resources/integration_configuration#config_data IntegrationConfiguration#config_data}
  */
  readonly configData?: { [key: string]: string };
  /**
  * Inline credential to create with the configuration. Never refreshed on read.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/m3ter-com/m3ter/latest/docs/resources/integration_configuration#credentials IntegrationConfiguration#credentials}
  */
  readonly credentials?: IntegrationConfigurationCredentials;
  /**
  * Target system name, e.g. Webhook or Stripe. No validator in the provider (API pattern ^[a-zA-Z0-9_-]*$).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/m3ter-com/m3ter/latest/docs/resources/integration_configuration#destination IntegrationConfiguration#destination}
  */
  readonly destination: string;
  /**
  * UUID of the destination; for a notification link, the webhook destination id.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/m3ter-com/m3ter/latest/docs/resources/integration_configuration#destination_id IntegrationConfiguration#destination_id}
  */
  readonly destinationId?: string;
  /**
  * UUID of the entity; for a notification link, the notification configuration id.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/m3ter-com/m3ter/latest/docs/resources/integration_configuration#entity_id IntegrationConfiguration#entity_id}
  */
  readonly entityId?: string;
  /**
  * Kind of m3ter entity integrated, e.g. Notification or Bill. No validator in the provider (API pattern ^[a-zA-Z0-9_-]*$).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/m3ter-com/m3ter/latest/docs/resources/integration_configuration#entity_type IntegrationConfiguration#entity_type}
  */
  readonly entityType: string;
  /**
  * UUID of an existing integration credential. Never refreshed from the API.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/m3ter-com/m3ter/latest/docs/resources/integration_configuration#integration_credentials_id IntegrationConfiguration#integration_credentials_id}
  */
  readonly integrationCredentialsId?: string;
  /**
  * Display name of the integration configuration. Never refreshed from the API.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/m3ter-com/m3ter/latest/docs/resources/integration_configuration#name IntegrationConfiguration#name}
  */
  readonly name?: string;
  /**
  * Organization UUID for this one resource. Deprecated: set org_id on the provider. Changing it forces replacement.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/m3ter-com/m3ter/latest/docs/resources/integration_configuration#org_id IntegrationConfiguration#org_id}
  */
  readonly orgId?: string;
}
export interface IntegrationConfigurationCredentials {
  /**
  * System the credential is for. One of (case-insensitive): WEBHOOK, NETSUITE, STRIPE, STRIPE_TEST, AWS, PADDLE, PADDLE_SANDBOX, SALESFORCE, XERO, CHARGEBEE, QUICKBOOKS, QUICKBOOKS_SANDBOX, M3TER.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/m3ter-com/m3ter/latest/docs/resources/integration_configuration#destination IntegrationConfiguration#destination}
  */
  readonly destination?: string;
  /**
  * Flag for a credential with no real values.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/m3ter-com/m3ter/latest/docs/resources/integration_configuration#empty IntegrationConfiguration#empty}
  */
  readonly empty?: boolean | cdktf.IResolvable;
  /**
  * Display name of the credential.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/m3ter-com/m3ter/latest/docs/resources/integration_configuration#name IntegrationConfiguration#name}
  */
  readonly name?: string;
  /**
  * Credential kind. One of (case-insensitive): HTTP_BASIC, OAUTH_CLIENT_CREDENTIALS, M3TER_SIGNED_REQUEST, AWS_INTEGRATION, PADDLE_AUTH, NETSUITE_AUTH, CHARGEBEE_AUTH, M3TER_APP_SIGNATURE, M3TER_SERVICE_USER, STRIPE_SIGNED_REQUEST, HUBSPOT_ACCESS_TOKEN, HUBSPOT_CLIENT_SECRET, OPSGENIE_KEY, SAP_BYD, SLACK_WEBHOOK, SAGE_INTACCT_CLIENT_CREDENTIALS, SAGE_INTACCT_CLIENT_SECRET, STATIC_API_KEY.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/m3ter-com/m3ter/latest/docs/resources/integration_configuration#type IntegrationConfiguration#type}
  */
  readonly type: string;
}

export function integrationConfigurationCredentialsToTerraform(struct?: IntegrationConfigurationCredentials | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  return {
    destination: cdktf.stringToTerraform(struct!.destination),
    empty: cdktf.booleanToTerraform(struct!.empty),
    name: cdktf.stringToTerraform(struct!.name),
    type: cdktf.stringToTerraform(struct!.type),
  }
}


export function integrationConfigurationCredentialsToHclTerraform(struct?: IntegrationConfigurationCredentials | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  const attrs = {
    destination: {
      value: cdktf.stringToHclTerraform(struct!.destination),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    empty: {
      value: cdktf.booleanToHclTerraform(struct!.empty),
      isBlock: false,
      type: "simple",
      storageClassType: "boolean",
    },
    name: {
      value: cdktf.stringToHclTerraform(struct!.name),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    type: {
      value: cdktf.stringToHclTerraform(struct!.type),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
  };

  // remove undefined attributes
  return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined));
}

export class IntegrationConfigurationCredentialsOutputReference extends cdktf.ComplexObject {
  private isEmptyObject = false;
  private resolvableValue?: cdktf.IResolvable;

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  */
  public constructor(terraformResource: cdktf.IInterpolatingParent, terraformAttribute: string) {
    super(terraformResource, terraformAttribute, false);
  }

  public get internalValue(): IntegrationConfigurationCredentials | cdktf.IResolvable | undefined {
    if (this.resolvableValue) {
      return this.resolvableValue;
    }
    let hasAnyValues = this.isEmptyObject;
    const internalValueResult: any = {};
    if (this._destination !== undefined) {
      hasAnyValues = true;
      internalValueResult.destination = this._destination;
    }
    if (this._empty !== undefined) {
      hasAnyValues = true;
      internalValueResult.empty = this._empty;
    }
    if (this._name !== undefined) {
      hasAnyValues = true;
      internalValueResult.name = this._name;
    }
    if (this._type !== undefined) {
      hasAnyValues = true;
      internalValueResult.type = this._type;
    }
    return hasAnyValues ? internalValueResult : undefined;
  }

  public set internalValue(value: IntegrationConfigurationCredentials | cdktf.IResolvable | undefined) {
    if (value === undefined) {
      this.isEmptyObject = false;
      this.resolvableValue = undefined;
      this._destination = undefined;
      this._empty = undefined;
      this._name = undefined;
      this._type = undefined;
    }
    else if (cdktf.Tokenization.isResolvable(value)) {
      this.isEmptyObject = false;
      this.resolvableValue = value;
    }
    else {
      this.isEmptyObject = Object.keys(value).length === 0;
      this.resolvableValue = undefined;
      this._destination = value.destination;
      this._empty = value.empty;
      this._name = value.name;
      this._type = value.type;
    }
  }

  // destination - computed: true, optional: true, required: false
  private _destination?: string; 
  public get destination() {
    return this.getStringAttribute('destination');
  }
  public set destination(value: string) {
    this._destination = value;
  }
  public resetDestination() {
    this._destination = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get destinationInput() {
    return this._destination;
  }

  // empty - computed: true, optional: true, required: false
  private _empty?: boolean | cdktf.IResolvable; 
  public get empty() {
    return this.getBooleanAttribute('empty');
  }
  public set empty(value: boolean | cdktf.IResolvable) {
    this._empty = value;
  }
  public resetEmpty() {
    this._empty = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get emptyInput() {
    return this._empty;
  }

  // name - computed: true, optional: true, required: false
  private _name?: string; 
  public get name() {
    return this.getStringAttribute('name');
  }
  public set name(value: string) {
    this._name = value;
  }
  public resetName() {
    this._name = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get nameInput() {
    return this._name;
  }

  // type - computed: true, optional: false, required: true
  private _type?: string; 
  public get type() {
    return this.getStringAttribute('type');
  }
  public set type(value: string) {
    this._type = value;
  }
  // Temporarily expose input value. Use with caution.
  public get typeInput() {
    return this._type;
  }

  // version - computed: true, optional: false, required: false
  public get version() {
    return this.getNumberAttribute('version');
  }
}

/**
* Represents a {@link https://registry.terraform.io/providers/m3ter-com/m3ter/latest/docs/resources/integration_configuration m3ter_integration_configuration}
*/
export class IntegrationConfiguration extends cdktf.TerraformResource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "m3ter_integration_configuration";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTF code for importing a IntegrationConfiguration resource upon running "cdktf plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the IntegrationConfiguration to import
  * @param importFromId The id of the existing IntegrationConfiguration that should be imported. Refer to the {@link https://registry.terraform.io/providers/m3ter-com/m3ter/latest/docs/resources/integration_configuration#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the IntegrationConfiguration to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktf.TerraformProvider) {
        return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: "m3ter_integration_configuration", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.terraform.io/providers/m3ter-com/m3ter/latest/docs/resources/integration_configuration m3ter_integration_configuration} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options IntegrationConfigurationConfig
  */
  public constructor(scope: Construct, id: string, config: IntegrationConfigurationConfig) {
    super(scope, id, {
      terraformResourceType: 'm3ter_integration_configuration',
      terraformGeneratorMetadata: {
        providerName: 'm3ter',
        providerVersionConstraint: '~> 0.9.0'
      },
      provider: config.provider,
      dependsOn: config.dependsOn,
      count: config.count,
      lifecycle: config.lifecycle,
      provisioners: config.provisioners,
      connection: config.connection,
      forEach: config.forEach
    });
    this._configData = config.configData;
    this._credentials.internalValue = config.credentials;
    this._destination = config.destination;
    this._destinationId = config.destinationId;
    this._entityId = config.entityId;
    this._entityType = config.entityType;
    this._integrationCredentialsId = config.integrationCredentialsId;
    this._name = config.name;
    this._orgId = config.orgId;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // authorized - computed: true, optional: false, required: false
  public get authorized() {
    return this.getBooleanAttribute('authorized');
  }

  // config_data - computed: true, optional: true, required: false
  private _configData?: { [key: string]: string }; 
  public get configData() {
    return this.getStringMapAttribute('config_data');
  }
  public set configData(value: { [key: string]: string }) {
    this._configData = value;
  }
  public resetConfigData() {
    this._configData = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get configDataInput() {
    return this._configData;
  }

  // credentials - computed: true, optional: true, required: false
  private _credentials = new IntegrationConfigurationCredentialsOutputReference(this, "credentials");
  public get credentials() {
    return this._credentials;
  }
  public putCredentials(value: IntegrationConfigurationCredentials) {
    this._credentials.internalValue = value;
  }
  public resetCredentials() {
    this._credentials.internalValue = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get credentialsInput() {
    return this._credentials.internalValue;
  }

  // destination - computed: false, optional: false, required: true
  private _destination?: string; 
  public get destination() {
    return this.getStringAttribute('destination');
  }
  public set destination(value: string) {
    this._destination = value;
  }
  // Temporarily expose input value. Use with caution.
  public get destinationInput() {
    return this._destination;
  }

  // destination_id - computed: false, optional: true, required: false
  private _destinationId?: string; 
  public get destinationId() {
    return this.getStringAttribute('destination_id');
  }
  public set destinationId(value: string) {
    this._destinationId = value;
  }
  public resetDestinationId() {
    this._destinationId = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get destinationIdInput() {
    return this._destinationId;
  }

  // dt_completed - computed: true, optional: false, required: false
  public get dtCompleted() {
    return this.getStringAttribute('dt_completed');
  }

  // dt_started - computed: true, optional: false, required: false
  public get dtStarted() {
    return this.getStringAttribute('dt_started');
  }

  // enabled - computed: true, optional: false, required: false
  public get enabled() {
    return this.getBooleanAttribute('enabled');
  }

  // entity_id - computed: false, optional: true, required: false
  private _entityId?: string; 
  public get entityId() {
    return this.getStringAttribute('entity_id');
  }
  public set entityId(value: string) {
    this._entityId = value;
  }
  public resetEntityId() {
    this._entityId = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get entityIdInput() {
    return this._entityId;
  }

  // entity_type - computed: false, optional: false, required: true
  private _entityType?: string; 
  public get entityType() {
    return this.getStringAttribute('entity_type');
  }
  public set entityType(value: string) {
    this._entityType = value;
  }
  // Temporarily expose input value. Use with caution.
  public get entityTypeInput() {
    return this._entityType;
  }

  // error - computed: true, optional: false, required: false
  public get error() {
    return this.getStringAttribute('error');
  }

  // external_id - computed: true, optional: false, required: false
  public get externalId() {
    return this.getStringAttribute('external_id');
  }

  // id - computed: true, optional: false, required: false
  public get id() {
    return this.getStringAttribute('id');
  }

  // integration_credentials_id - computed: false, optional: true, required: false
  private _integrationCredentialsId?: string; 
  public get integrationCredentialsId() {
    return this.getStringAttribute('integration_credentials_id');
  }
  public set integrationCredentialsId(value: string) {
    this._integrationCredentialsId = value;
  }
  public resetIntegrationCredentialsId() {
    this._integrationCredentialsId = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get integrationCredentialsIdInput() {
    return this._integrationCredentialsId;
  }

  // name - computed: false, optional: true, required: false
  private _name?: string; 
  public get name() {
    return this.getStringAttribute('name');
  }
  public set name(value: string) {
    this._name = value;
  }
  public resetName() {
    this._name = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get nameInput() {
    return this._name;
  }

  // org_id - computed: false, optional: true, required: false
  private _orgId?: string; 
  public get orgId() {
    return this.getStringAttribute('org_id');
  }
  public set orgId(value: string) {
    this._orgId = value;
  }
  public resetOrgId() {
    this._orgId = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get orgIdInput() {
    return this._orgId;
  }

  // parent_integration_run_id - computed: true, optional: false, required: false
  public get parentIntegrationRunId() {
    return this.getStringAttribute('parent_integration_run_id');
  }

  // status - computed: true, optional: false, required: false
  public get status() {
    return this.getStringAttribute('status');
  }

  // trigger_type - computed: true, optional: false, required: false
  public get triggerType() {
    return this.getStringAttribute('trigger_type');
  }

  // url - computed: true, optional: false, required: false
  public get url() {
    return this.getStringAttribute('url');
  }

  // version - computed: true, optional: false, required: false
  public get version() {
    return this.getNumberAttribute('version');
  }

  // =========
  // SYNTHESIS
  // =========

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      config_data: cdktf.hashMapper(cdktf.stringToTerraform)(this._configData),
      credentials: integrationConfigurationCredentialsToTerraform(this._credentials.internalValue),
      destination: cdktf.stringToTerraform(this._destination),
      destination_id: cdktf.stringToTerraform(this._destinationId),
      entity_id: cdktf.stringToTerraform(this._entityId),
      entity_type: cdktf.stringToTerraform(this._entityType),
      integration_credentials_id: cdktf.stringToTerraform(this._integrationCredentialsId),
      name: cdktf.stringToTerraform(this._name),
      org_id: cdktf.stringToTerraform(this._orgId),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      config_data: {
        value: cdktf.hashMapperHcl(cdktf.stringToHclTerraform)(this._configData),
        isBlock: false,
        type: "map",
        storageClassType: "stringMap",
      },
      credentials: {
        value: integrationConfigurationCredentialsToHclTerraform(this._credentials.internalValue),
        isBlock: true,
        type: "struct",
        storageClassType: "IntegrationConfigurationCredentials",
      },
      destination: {
        value: cdktf.stringToHclTerraform(this._destination),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      destination_id: {
        value: cdktf.stringToHclTerraform(this._destinationId),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      entity_id: {
        value: cdktf.stringToHclTerraform(this._entityId),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      entity_type: {
        value: cdktf.stringToHclTerraform(this._entityType),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      integration_credentials_id: {
        value: cdktf.stringToHclTerraform(this._integrationCredentialsId),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      name: {
        value: cdktf.stringToHclTerraform(this._name),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      org_id: {
        value: cdktf.stringToHclTerraform(this._orgId),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}
