// GENERATED FILE: do not edit. Made by scripts/generate-cdktf-bindings.ts from schemas/terraform-provider-schema.json (npm run generate:cdktf).
// @ts-nocheck
// https://registry.terraform.io/providers/m3ter-com/m3ter/latest/docs/data-sources/notification_configuration
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktf from 'cdktn';

// Configuration

export interface DataM3TerNotificationConfigurationConfig extends cdktf.TerraformMetaArguments {
  /**
  * List filter that must match exactly one notification; used instead of id.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/m3ter-com/m3ter/latest/docs/data-sources/notification_configuration#find_one_by DataM3TerNotificationConfiguration#find_one_by}
  */
  readonly findOneBy?: DataM3TerNotificationConfigurationFindOneBy;
  /**
  * UUID to read. Exactly one of id and find_one_by must be set.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/m3ter-com/m3ter/latest/docs/data-sources/notification_configuration#id DataM3TerNotificationConfiguration#id}
  *
  * Please be aware that the id field is automatically added to all resources in Terraform providers using a Terraform provider SDK version below 2.
  * If you experience problems setting this value it might not be settable. Please take a look at the provider documentation to ensure it should be settable.
  */
  readonly id?: string;
  /**
  * Organization UUID for this lookup. Deprecated: set org_id on the provider.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/m3ter-com/m3ter/latest/docs/data-sources/notification_configuration#org_id DataM3TerNotificationConfiguration#org_id}
  */
  readonly orgId?: string;
}
export interface DataM3TerNotificationConfigurationFindOneBy {
  /**
  * true: only active rules; false: only inactive rules.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/m3ter-com/m3ter/latest/docs/data-sources/notification_configuration#active DataM3TerNotificationConfiguration#active}
  */
  readonly active?: boolean | cdktf.IResolvable;
  /**
  * Only rules based on this event type.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/m3ter-com/m3ter/latest/docs/data-sources/notification_configuration#event_name DataM3TerNotificationConfiguration#event_name}
  */
  readonly eventName?: string;
  /**
  * Notification UUIDs to filter the list by.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/m3ter-com/m3ter/latest/docs/data-sources/notification_configuration#ids DataM3TerNotificationConfiguration#ids}
  */
  readonly ids?: string[];
}

export function dataM3TerNotificationConfigurationFindOneByToTerraform(struct?: DataM3TerNotificationConfigurationFindOneBy | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  return {
    active: cdktf.booleanToTerraform(struct!.active),
    event_name: cdktf.stringToTerraform(struct!.eventName),
    ids: cdktf.listMapper(cdktf.stringToTerraform, false)(struct!.ids),
  }
}


export function dataM3TerNotificationConfigurationFindOneByToHclTerraform(struct?: DataM3TerNotificationConfigurationFindOneBy | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  const attrs = {
    active: {
      value: cdktf.booleanToHclTerraform(struct!.active),
      isBlock: false,
      type: "simple",
      storageClassType: "boolean",
    },
    event_name: {
      value: cdktf.stringToHclTerraform(struct!.eventName),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    ids: {
      value: cdktf.listMapperHcl(cdktf.stringToHclTerraform, false)(struct!.ids),
      isBlock: false,
      type: "list",
      storageClassType: "stringList",
    },
  };

  // remove undefined attributes
  return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined));
}

export class DataM3TerNotificationConfigurationFindOneByOutputReference extends cdktf.ComplexObject {
  private isEmptyObject = false;
  private resolvableValue?: cdktf.IResolvable;

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  */
  public constructor(terraformResource: cdktf.IInterpolatingParent, terraformAttribute: string) {
    super(terraformResource, terraformAttribute, false);
  }

  public get internalValue(): DataM3TerNotificationConfigurationFindOneBy | cdktf.IResolvable | undefined {
    if (this.resolvableValue) {
      return this.resolvableValue;
    }
    let hasAnyValues = this.isEmptyObject;
    const internalValueResult: any = {};
    if (this._active !== undefined) {
      hasAnyValues = true;
      internalValueResult.active = this._active;
    }
    if (this._eventName !== undefined) {
      hasAnyValues = true;
      internalValueResult.eventName = this._eventName;
    }
    if (this._ids !== undefined) {
      hasAnyValues = true;
      internalValueResult.ids = this._ids;
    }
    return hasAnyValues ? internalValueResult : undefined;
  }

  public set internalValue(value: DataM3TerNotificationConfigurationFindOneBy | cdktf.IResolvable | undefined) {
    if (value === undefined) {
      this.isEmptyObject = false;
      this.resolvableValue = undefined;
      this._active = undefined;
      this._eventName = undefined;
      this._ids = undefined;
    }
    else if (cdktf.Tokenization.isResolvable(value)) {
      this.isEmptyObject = false;
      this.resolvableValue = value;
    }
    else {
      this.isEmptyObject = Object.keys(value).length === 0;
      this.resolvableValue = undefined;
      this._active = value.active;
      this._eventName = value.eventName;
      this._ids = value.ids;
    }
  }

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

  // event_name - computed: false, optional: true, required: false
  private _eventName?: string; 
  public get eventName() {
    return this.getStringAttribute('event_name');
  }
  public set eventName(value: string) {
    this._eventName = value;
  }
  public resetEventName() {
    this._eventName = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get eventNameInput() {
    return this._eventName;
  }

  // ids - computed: false, optional: true, required: false
  private _ids?: string[]; 
  public get ids() {
    return this.getListAttribute('ids');
  }
  public set ids(value: string[]) {
    this._ids = value;
  }
  public resetIds() {
    this._ids = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get idsInput() {
    return this._ids;
  }
}

/**
* Represents a {@link https://registry.terraform.io/providers/m3ter-com/m3ter/latest/docs/data-sources/notification_configuration m3ter_notification_configuration}
*/
export class DataM3TerNotificationConfiguration extends cdktf.TerraformDataSource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "m3ter_notification_configuration";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTF code for importing a DataM3TerNotificationConfiguration resource upon running "cdktf plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the DataM3TerNotificationConfiguration to import
  * @param importFromId The id of the existing DataM3TerNotificationConfiguration that should be imported. Refer to the {@link https://registry.terraform.io/providers/m3ter-com/m3ter/latest/docs/data-sources/notification_configuration#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the DataM3TerNotificationConfiguration to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktf.TerraformProvider) {
        return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: "m3ter_notification_configuration", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.terraform.io/providers/m3ter-com/m3ter/latest/docs/data-sources/notification_configuration m3ter_notification_configuration} Data Source
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options DataM3TerNotificationConfigurationConfig = {}
  */
  public constructor(scope: Construct, id: string, config: DataM3TerNotificationConfigurationConfig = {}) {
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
    this._findOneBy.internalValue = config.findOneBy;
    this._id = config.id;
    this._orgId = config.orgId;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // active - computed: true, optional: false, required: false
  public get active() {
    return this.getBooleanAttribute('active');
  }

  // always_fire_event - computed: true, optional: false, required: false
  public get alwaysFireEvent() {
    return this.getBooleanAttribute('always_fire_event');
  }

  // calculation - computed: true, optional: false, required: false
  public get calculation() {
    return this.getStringAttribute('calculation');
  }

  // code - computed: true, optional: false, required: false
  public get code() {
    return this.getStringAttribute('code');
  }

  // description - computed: true, optional: false, required: false
  public get description() {
    return this.getStringAttribute('description');
  }

  // event_name - computed: true, optional: false, required: false
  public get eventName() {
    return this.getStringAttribute('event_name');
  }

  // find_one_by - computed: false, optional: true, required: false
  private _findOneBy = new DataM3TerNotificationConfigurationFindOneByOutputReference(this, "find_one_by");
  public get findOneBy() {
    return this._findOneBy;
  }
  public putFindOneBy(value: DataM3TerNotificationConfigurationFindOneBy) {
    this._findOneBy.internalValue = value;
  }
  public resetFindOneBy() {
    this._findOneBy.internalValue = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get findOneByInput() {
    return this._findOneBy.internalValue;
  }

  // id - computed: true, optional: true, required: false
  private _id?: string; 
  public get id() {
    return this.getStringAttribute('id');
  }
  public set id(value: string) {
    this._id = value;
  }
  public resetId() {
    this._id = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get idInput() {
    return this._id;
  }

  // name - computed: true, optional: false, required: false
  public get name() {
    return this.getStringAttribute('name');
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
      find_one_by: dataM3TerNotificationConfigurationFindOneByToTerraform(this._findOneBy.internalValue),
      id: cdktf.stringToTerraform(this._id),
      org_id: cdktf.stringToTerraform(this._orgId),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      find_one_by: {
        value: dataM3TerNotificationConfigurationFindOneByToHclTerraform(this._findOneBy.internalValue),
        isBlock: true,
        type: "struct",
        storageClassType: "DataM3TerNotificationConfigurationFindOneBy",
      },
      id: {
        value: cdktf.stringToHclTerraform(this._id),
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
