"use strict";
const { Model } = require("sequelize");

module.exports = (sequelize, DataTypes) => {
  class Tag extends Model {
    static associate(models) {
      Tag.belongsToMany(models.Post, { through: "PostTags" });
    }
  }
  Tag.init(
    {
      name: {
        type: DataTypes.STRING(50),
        allowNull: false,
        unique: "tags_name_unique",
      },
      color: {
        type: DataTypes.CHAR(7),
        allowNull: true,
      },
    },
    {
      sequelize,
      modelName: "Tag",
      timestamps: false,
    },
  );
  return Tag;
};
