// GENERATED FILE: do not edit. Made by scripts/generate-cdktf-bindings.ts from schemas/terraform-provider-schema.json (npm run generate:cdktf).
// @ts-nocheck
// https://registry.terraform.io/providers/m3ter-com/m3ter/latest/docs/resources/notification_configuration
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktf from 'cdktf';

// Configuration

export interface NotificationConfigurationConfig extends cdktf.TerraformMetaArguments {
  /**
  * Whether the rule fires. Not computed: unset means null in state and omitted from requests.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/m3ter-com/m3ter/latest/docs/resources/notification_configuration#active NotificationConfiguration#active}
  */
  readonly active?: boolean | cdktf.IResolvable;
  /**
  * Fire on every matching event and ignore calculation.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/m3ter-com/m3ter/latest/docs/resources/notification_configuration#always_fire_event NotificationConfiguration#always_fire_event}
  */
  readonly alwaysFireEvent?: boolean | cdktf.IResolvable;
  /**
  * Boolean expression over new.<field>/old.<field> of the event; the rule fires when it is true.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/m3ter-com/m3ter/latest/docs/resources/notification_configuration#calculation NotificationConfiguration#calculation}
  */
  readonly calculation?: string;
  /**
  * Short code identifying the notification rule.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/m3ter-com/m3ter/latest/docs/resources/notification_configuration#code NotificationConfiguration#code}
  */
  readonly code: string;
  /**
  * Free-text description of the notification rule.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/m3ter-com/m3ter/latest/docs/resources/notification_configuration#description NotificationConfiguration#description}
  */
  readonly description: string;
  /**
  * Event type the rule listens to, e.g. configuration.commitment.updated or scheduled.<entity>.<name>.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/m3ter-com/m3ter/latest/docs/resources/notification_configuration#event_name NotificationConfiguration#event_name}
  */
  readonly eventName: string;
  /**
  * Display name of the notification rule.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/m3ter-com/m3ter/latest/docs/resources/notification_configuration#name NotificationConfiguration#name}
  */
  readonly name: string;
  /**
  * Organization UUID for this one resource. Deprecated: set org_id on the provider. Changing it forces replacement.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/m3ter-com/m3ter/latest/docs/resources/notification_configuration#org_id NotificationConfiguration#org_id}
  */
  readonly orgId?: string;
}

/**
* Represents a {@link https://registry.terraform.io/providers/m3ter-com/m3ter/latest/docs/resources/notification_configuration m3ter_notification_configuration}
*/
export class NotificationConfiguration extends cdktf.TerraformResource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "m3ter_notification_configuration";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTF code for importing a NotificationConfiguration resource upon running "cdktf plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the NotificationConfiguration to import
  * @param importFromId The id of the existing NotificationConfiguration that should be imported. Refer to the {@link https://registry.terraform.io/providers/m3ter-com/m3ter/latest/docs/resources/notification_configuration#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the NotificationConfiguration to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktf.TerraformProvider) {
        return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: "m3ter_notification_configuration", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.terraform.io/providers/m3ter-com/m3ter/latest/docs/resources/notification_configuration m3ter_notification_configuration} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options NotificationConfigurationConfig
  */
  public constructor(scope: Construct, id: string, config: NotificationConfigurationConfig) {
    super(scope, id, {
      terraformResourceType: 'm3ter_notification_configuration',
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
    this._active = config.active;
    this._alwaysFireEvent = config.alwaysFireEvent;
    this._calculation = config.calculation;
    this._code = config.code;
    this._description = config.description;
    this._eventName = config.eventName;
    this._name = config.name;
    this._orgId = config.orgId;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // active - computed: false, optional: true, required: false
  private _active?: boolean | cdktf.IResolvable; 
  public get active() {
    return this.getBooleanAttribute('active');
  }
  public set active(value: boolean | cdktf.IResolvable) {
    this._active = value;
  }
  public resetActive() {
    this._active = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get activeInput() {
    return this._active;
  }

  // always_fire_event - computed: false, optional: true, required: false
  private _alwaysFireEvent?: boolean | cdktf.IResolvable; 
  public get alwaysFireEvent() {
    return this.getBooleanAttribute('always_fire_event');
  }
  public set alwaysFireEvent(value: boolean | cdktf.IResolvable) {
    this._alwaysFireEvent = value;
  }
  public resetAlwaysFireEvent() {
    this._alwaysFireEvent = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get alwaysFireEventInput() {
    return this._alwaysFireEvent;
  }

  // calculation - computed: false, optional: true, required: false
  private _calculation?: string; 
  public get calculation() {
    return this.getStringAttribute('calculation');
  }
  public set calculation(value: string) {
    this._calculation = value;
  }
  public resetCalculation() {
    this._calculation = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get calculationInput() {
    return this._calculation;
  }

  // code - computed: false, optional: false, required: true
  private _code?: string; 
  public get code() {
    return this.getStringAttribute('code');
  }
  public set code(value: string) {
    this._code = value;
  }
  // Temporarily expose input value. Use with caution.
  public get codeInput() {
    return this._code;
  }

  // description - computed: false, optional: false, required: true
  private _description?: string; 
  public get description() {
    return this.getStringAttribute('description');
  }
  public set description(value: string) {
    this._description = value;
  }
  // Temporarily expose input value. Use with caution.
  public get descriptionInput() {
    return this._description;
  }

  // event_name - computed: false, optional: false, required: true
  private _eventName?: string; 
  public get eventName() {
    return this.getStringAttribute('event_name');
  }
  public set eventName(value: string) {
    this._eventName = value;
  }
  // Temporarily expose input value. Use with caution.
  public get eventNameInput() {
    return this._eventName;
  }

  // id - computed: true, optional: false, required: false
  public get id() {
    return this.getStringAttribute('id');
  }

  // name - computed: false, optional: false, required: true
  private _name?: string; 
  public get name() {
    return this.getStringAttribute('name');
  }
  public set name(value: string) {
    this._name = value;
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

  // version - computed: true, optional: false, required: false
  public get version() {
    return this.getNumberAttribute('version');
  }

  // =========
  // SYNTHESIS
  // =========

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      active: cdktf.booleanToTerraform(this._active),
      always_fire_event: cdktf.booleanToTerraform(this._alwaysFireEvent),
      calculation: cdktf.stringToTerraform(this._calculation),
      code: cdktf.stringToTerraform(this._code),
      description: cdktf.stringToTerraform(this._description),
      event_name: cdktf.stringToTerraform(this._eventName),
      name: cdktf.stringToTerraform(this._name),
      org_id: cdktf.stringToTerraform(this._orgId),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      active: {
        value: cdktf.booleanToHclTerraform(this._active),
        isBlock: false,
        type: "simple",
        storageClassType: "boolean",
      },
      always_fire_event: {
        value: cdktf.booleanToHclTerraform(this._alwaysFireEvent),
        isBlock: false,
        type: "simple",
        storageClassType: "boolean",
      },
      calculation: {
        value: cdktf.stringToHclTerraform(this._calculation),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      code: {
        value: cdktf.stringToHclTerraform(this._code),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      description: {
        value: cdktf.stringToHclTerraform(this._description),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      event_name: {
        value: cdktf.stringToHclTerraform(this._eventName),
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
